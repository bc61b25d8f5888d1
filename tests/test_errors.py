"""kflow's exceptions: one class per kind of fault, each also a built-in exception."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kflow


@pytest.fixture
def survey():
    return kflow.datasets.load_network("example_cluster")


def test_exception_hierarchy():
    for cls in (kflow.SurveyError, kflow.DataError, kflow.ParameterError, kflow.NotFittedError):
        assert issubclass(cls, kflow.KflowError) and issubclass(cls, ValueError)
    assert issubclass(kflow.NotFittedError, AttributeError)
    assert issubclass(kflow.ConvergenceWarning, UserWarning)


def test_unfitted_role_classifier(survey):
    with pytest.raises(kflow.NotFittedError, match=r"call fit\(survey\) before predict"):
        kflow.RoleClassifier().predict(survey)


def test_plain_tables_raise_data_error_not_survey_error():
    table = pd.DataFrame({"role": ["a", "b"], "y": [1, 2]})
    with pytest.raises(kflow.DataError, match="compare_groups: no column 'z'") as info:
        kflow.compare_groups(table, "z")
    assert not isinstance(info.value, kflow.SurveyError)


@pytest.mark.parametrize("seed", ["7", 1.5, -1, True])
def test_seed_message_names_the_function(survey, seed):
    with pytest.raises(kflow.ParameterError) as info:
        kflow.compare_groups(pd.DataFrame({"g": list("aabb"), "y": [1, 2, 3, 4]}), "y", by="g",
                             seed=seed)
    message = str(info.value)
    assert message.startswith("The 'seed' parameter of compare_groups must be")
    assert "parameter of seed" not in message


def test_generator_seed_is_echoed_as_generator(survey):
    result = kflow.ei_index(survey, {f: f[-1] in "02468" for f in survey.firm_ids},
                            n_permutations=9, seed=np.random.default_rng(1))
    assert result.network["seed"] == "generator"
