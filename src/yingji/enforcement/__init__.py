"""Law enforcement: inspection plans, random inspection draw, cases, penalties."""
