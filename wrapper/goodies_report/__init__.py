"""Post-mortem analytics for promotional-goodies campaigns."""
