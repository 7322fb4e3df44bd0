"""The annual follow-up report to the board: the year's register, plan and risk turned into one context."""
