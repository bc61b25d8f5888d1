# Golden reference values from R's sna package for kflow's tests.
#
# Run from the project root with the shared data beside it:
#   Rscript tests/reference/make_sna_golden.R ../shared/data tests/reference/golden
# (Debian: apt-get install r-cran-sna). The tests read the CSV files this writes, so CI needs no R.
#
# Every graph is built oriented as KNOWLEDGE FLOW, as inside kflow: m[i, j] = 1 means knowledge
# flowed from i to j. Advice files ("source asks target") are therefore transposed.
suppressMessages(library(sna))

args <- commandArgs(trailingOnly = TRUE)
data_dir <- if (length(args) >= 1) args[1] else "../shared/data"
out_dir <- if (length(args) >= 2) args[2] else "tests/reference/golden"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

flow_matrix <- function(edges, ids, asks) {
  from <- as.character(if (asks) edges$target else edges$source)
  to <- as.character(if (asks) edges$source else edges$target)
  m <- matrix(0, length(ids), length(ids), dimnames = list(ids, ids))
  m[cbind(match(from, ids), match(to, ids))] <- 1
  diag(m) <- 0
  m
}

read_edges <- function(...) {
  read.csv(file.path(data_dir, ...), colClasses = "character", check.names = FALSE)
}

networks <- list()
knoke <- read_edges("knoke_bureaucracies", "information_edges.csv")
knoke_nodes <- read.csv(file.path(data_dir, "knoke_bureaucracies", "nodes.csv"),
                        colClasses = "character")
networks$knoke_information <- flow_matrix(knoke, knoke_nodes$label, asks = FALSE)
krack <- read_edges("krackhardt_hightech", "advice_edges.csv")
networks$krackhardt_advice <- flow_matrix(krack, as.character(1:21), asks = TRUE)
lazega <- read_edges("lazega_lawfirm", "advice_edges.csv")
networks$lazega_advice <- flow_matrix(lazega, as.character(1:71), asks = TRUE)
for (year in c("2012", "2015")) {
  kk <- read_edges("kecskemet_printing_cluster", paste0("advice_", year, "_edges.csv"))
  ids <- sort(unique(c(kk$source, kk$target)))
  networks[[paste0("kecskemet_", year)]] <- flow_matrix(kk, ids, asks = TRUE)
}

summary_rows <- list()
for (name in names(networks)) {
  m <- networks[[name]]
  n <- nrow(m)
  table <- data.frame(
    firm_id = rownames(m),
    in_degree = degree(m, gmode = "digraph", cmode = "indegree"),
    out_degree = degree(m, gmode = "digraph", cmode = "outdegree"),
    betweenness_raw = betweenness(m, gmode = "digraph", cmode = "directed"),
    closeness_out = closeness(m, gmode = "digraph", cmode = "suminvdir"),
    closeness_in = closeness(t(m), gmode = "digraph", cmode = "suminvdir")
  )
  write.csv(table, file.path(out_dir, paste0("sna_", name, "_centrality.csv")),
            row.names = FALSE)
  summary_rows[[name]] <- data.frame(
    network = name,
    n_firms = n,
    n_ties = sum(m),
    in_centralization = centralization(m, degree, mode = "digraph", cmode = "indegree"),
    out_centralization = centralization(m, degree, mode = "digraph", cmode = "outdegree"),
    betweenness_centralization = centralization(m, betweenness, mode = "digraph"),
    transitivity = gtrans(m, mode = "digraph", measure = "weak"),
    reciprocity = grecip(m, measure = "edgewise"),
    density = gden(m, mode = "digraph")
  )
}
write.csv(do.call(rbind, summary_rows), file.path(out_dir, "sna_network_summary.csv"),
          row.names = FALSE)
# Brokerage (Gould & Fernandez) with a group attribute per network. sna's columns are kept under
# sna's names (w_I, w_O, b_IO, b_OI, b_O, t); the tests map them to roles by definition, checked on
# the hand-worked example of the methods page, which is written here too.
groups <- list(
  knoke_information = knoke_nodes$sector[match(rownames(networks$knoke_information),
                                               knoke_nodes$label)],
  krackhardt_advice = read.csv(file.path(data_dir, "krackhardt_hightech", "attributes.csv"))$dept,
  lazega_advice = read.csv(file.path(data_dir, "lazega_lawfirm", "attributes.csv"))$office
)
own <- read.csv(file.path(data_dir, "kecskemet_printing_cluster", "original_saom_cluster",
                          "ownership.csv"), sep = ";", row.names = 1)
for (year in c("2012", "2015")) {
  name <- paste0("kecskemet_", year)
  groups[[name]] <- own[rownames(networks[[name]]), "f_owner"]
}
example <- matrix(0, 5, 5, dimnames = list(as.character(0:4), as.character(0:4)))
example[rbind(c(1, 2), c(2, 3), c(3, 4), c(4, 5), c(2, 4), c(5, 1))] <- 1
networks$methods_example <- example
groups$methods_example <- c("A", "A", "B", "B", "C")

for (name in names(groups)) {
  m <- networks[[name]]
  b <- brokerage(m, groups[[name]])
  nodes <- data.frame(firm_id = rownames(m), group = groups[[name]])
  for (stat in c("raw", "exp", "sd", "z")) {
    block <- b[[paste0(stat, ".nli")]]
    colnames(block) <- paste(stat, colnames(block), sep = "_")
    nodes <- cbind(nodes, block)
  }
  write.csv(nodes, file.path(out_dir, paste0("sna_", name, "_brokerage_nodes.csv")),
            row.names = FALSE)
  net <- data.frame(role = names(b$raw.gli), raw = b$raw.gli, exp = b$exp.gli, sd = b$sd.gli,
                    z = b$z.gli)
  write.csv(net, file.path(out_dir, paste0("sna_", name, "_brokerage_network.csv")),
            row.names = FALSE)
}

writeLines(c(paste("sna", as.character(packageVersion("sna"))), R.version.string),
           file.path(out_dir, "VERSIONS.txt"))
