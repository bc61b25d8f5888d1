"""The fixed texts of the roster questionnaire, in English, Spanish and Portuguese.

The default question is the technical-advice roster question of the cluster literature
(Giuliani; Juhász and Lengyel 2018; see the methods page). ``{lo}`` and ``{hi}`` stand for the
ends of the answer scale.
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "TEXTS"]

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Knowledge exchange between firms: roster questionnaire",
        "question": (
            "If you are in a critical situation and need technical advice, to which of the "
            "local firms listed below do you turn?"
        ),
        "rate": (
            "For each firm you turn to, write how important its advice is, from {lo} to {hi} "
            "({lo} = not at all, {hi} = very important). Leave the cell blank for firms you do "
            "not turn to."
        ),
        "respondent": "Respondent firm",
        "firm_id": "Firm id",
        "firm_name": "Firm name",
        "answer": "Answer ({lo}–{hi})",
        "outside": (
            "Outside sources: actors outside the cluster (universities, research institutes, "
            "consultants, suppliers, buyers, other firms) your firm exchanges knowledge with"
        ),
        "actor": "Actor (name)",
        "type": "Type",
        "direction": "Direction (in = knowledge comes to your firm; out = your firm gives it)",
        "importance": "Importance ({lo}–{hi})",
        "instructions": "Instructions",
        "steps": (
            "Each sheet is the questionnaire of one firm, named at the top.|"
            "Read the question, then answer in column C only, one cell per firm.|"
            "Answers are whole numbers from {lo} to {hi}; the cell refuses anything else.|"
            "Leave a cell blank when the firm is not one you turn to.|"
            "Below the list, name up to {rows} outside sources, with type, direction and "
            "importance.|"
            "Do not move, add or delete rows or sheets: the workbook is read back as it was "
            "written.|"
            "A sheet left entirely blank means the firm did not answer."
        ),
        "scale": "Scale",
    },
    "es": {
        "title": "Intercambio de conocimiento entre empresas: cuestionario de lista",
        "question": (
            "Si se encuentra en una situación crítica y necesita asesoramiento técnico, ¿a cuál "
            "de las empresas locales de la lista recurre?"
        ),
        "rate": (
            "Para cada empresa a la que recurre, indique la importancia de su asesoramiento, de "
            "{lo} a {hi} ({lo} = nada, {hi} = muy importante). Deje la celda en blanco para las "
            "empresas a las que no recurre."
        ),
        "respondent": "Empresa encuestada",
        "firm_id": "Código de empresa",
        "firm_name": "Nombre de la empresa",
        "answer": "Respuesta ({lo}–{hi})",
        "outside": (
            "Fuentes externas: actores fuera del clúster (universidades, institutos de "
            "investigación, consultores, proveedores, compradores, otras empresas) con los que "
            "su empresa intercambia conocimiento"
        ),
        "actor": "Actor (nombre)",
        "type": "Tipo",
        "direction": "Dirección (in = el conocimiento llega a su empresa; out = su empresa lo da)",
        "importance": "Importancia ({lo}–{hi})",
        "instructions": "Instrucciones",
        "steps": (
            "Cada hoja es el cuestionario de una empresa, indicada arriba.|"
            "Lea la pregunta y responda solo en la columna C, una celda por empresa.|"
            "Las respuestas son números enteros de {lo} a {hi}; la celda no acepta otros "
            "valores.|"
            "Deje la celda en blanco si no recurre a esa empresa.|"
            "Debajo de la lista, nombre hasta {rows} fuentes externas, con tipo, dirección e "
            "importancia.|"
            "No mueva, agregue ni elimine filas u hojas: el libro se lee tal como fue escrito.|"
            "Una hoja completamente en blanco significa que la empresa no respondió."
        ),
        "scale": "Escala",
    },
    "pt": {
        "title": "Troca de conhecimento entre empresas: questionário de lista",
        "question": (
            "Se a sua empresa estiver numa situação crítica e precisar de aconselhamento "
            "técnico, a quais das empresas locais listadas abaixo recorre?"
        ),
        "rate": (
            "Para cada empresa a que recorre, indique a importância do aconselhamento, de {lo} "
            "a {hi} ({lo} = nenhuma, {hi} = muito importante). Deixe a célula em branco para as "
            "empresas a que não recorre."
        ),
        "respondent": "Empresa respondente",
        "firm_id": "Código da empresa",
        "firm_name": "Nome da empresa",
        "answer": "Resposta ({lo}–{hi})",
        "outside": (
            "Fontes externas: atores fora do cluster (universidades, institutos de pesquisa, "
            "consultores, fornecedores, compradores, outras empresas) com os quais a sua empresa "
            "troca conhecimento"
        ),
        "actor": "Ator (nome)",
        "type": "Tipo",
        "direction": "Direção (in = o conhecimento chega à sua empresa; out = a sua empresa o dá)",
        "importance": "Importância ({lo}–{hi})",
        "instructions": "Instruções",
        "steps": (
            "Cada folha é o questionário de uma empresa, indicada no topo.|"
            "Leia a pergunta e responda apenas na coluna C, uma célula por empresa.|"
            "As respostas são números inteiros de {lo} a {hi}; a célula não aceita outros "
            "valores.|"
            "Deixe a célula em branco se não recorre a essa empresa.|"
            "Abaixo da lista, indique até {rows} fontes externas, com tipo, direção e importância.|"
            "Não mova, acrescente nem apague linhas ou folhas: o ficheiro é lido tal como foi "
            "escrito.|"
            "Uma folha totalmente em branco significa que a empresa não respondeu."
        ),
        "scale": "Escala",
    },
}
LANGUAGES = tuple(TEXTS)

# The outside actor types offered in the questionnaire's drop-down list (kept in English so
# that the answers of surveys in every language read the same).
ACTOR_TYPES = ("university", "research institute", "consultant", "supplier", "buyer",
               "other firm", "public agency", "business association", "other")
