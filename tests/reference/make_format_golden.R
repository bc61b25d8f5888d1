# Golden reference for kflow's Pajek reader, from R's network package (an independent reader).
#
# Run from the project root:
#   Rscript tests/reference/make_format_golden.R
# (Debian: apt-get install r-cran-network). It reads tests/data/formats/cluster.paj with
# network::read.paj and writes every arc of every network, and every partition, as CSV. The
# tests read these files, so CI needs no R. read.paj reads *Arcs and *Edges sections (an edge
# becomes arcs both ways); kflow's own tests check *Arcslist, *Edgeslist, vectors and time
# intervals on small files counted by hand.
suppressMessages(library(network))

paj <- read.paj("tests/data/formats/cluster.paj")
out_dir <- "tests/reference/golden"
arcs <- do.call(rbind, lapply(names(paj$networks), function(name) {
  g <- paj$networks[[name]]
  el <- as.matrix(g, matrix.type = "edgelist", attrname = name)
  ids <- network.vertex.names(g)
  data.frame(network = name, source = ids[el[, 1]], target = ids[el[, 2]], value = el[, 3])
}))
arcs <- arcs[order(arcs$network, arcs$source, arcs$target), ]
write.csv(arcs, file.path(out_dir, "network_cluster_paj_arcs.csv"), row.names = FALSE)
parts <- paj$partitions
parts$firm_id <- network.vertex.names(paj$networks[[1]])
write.csv(parts, file.path(out_dir, "network_cluster_paj_partitions.csv"), row.names = FALSE)
cat("network", as.character(packageVersion("network")), "\n")

# A UCINET DL file written by another tool: R sna's write.dl, with the two Knoke relations as
# one graph stack (edgelist1 data, quoted labels, matrix labels, '!' between matrices). The test
# reads it and compares the ties with the published edge lists.
suppressMessages(library(sna))
nodes <- read.csv("datasets/knoke_bureaucracies/nodes.csv", colClasses = "character")
ids <- nodes$label
stack <- array(0, dim = c(2, length(ids), length(ids)))
for (k in 1:2) {
  e <- read.csv(file.path("datasets/knoke_bureaucracies",
                          c("information_edges.csv", "money_edges.csv")[k]),
                colClasses = "character")
  stack[cbind(k, match(e$source, ids), match(e$target, ids))] <- 1
}
write.dl(stack, "tests/data/formats/knoke_sna_write_dl.dl", vertex.lab = ids,
         matrix.lab = c("KNOKI", "KNOKM"))
cat("sna", as.character(packageVersion("sna")), "\n")
