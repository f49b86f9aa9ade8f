"""Knowledge stores: graph, entity linking, starter catalog."""
