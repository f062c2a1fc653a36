"""Console pages, sentences and demo of automatic ticket assignment (the rules live in services/assignment.py)."""
