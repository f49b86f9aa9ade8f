"""Knowledge stores: graph, plots (vectors + BM25), entity linking, ingest, starter catalog."""
