"""三民 evaluation domain: rounds, representatives, ballots and results."""
