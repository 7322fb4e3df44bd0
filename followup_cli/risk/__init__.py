"""Risk analysis: evidence → factors → likelihood and consequence → a level on the risk matrix, with reasons."""
