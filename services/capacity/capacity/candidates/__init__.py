"""What matching and intake read to place a child: the candidate units, and when to look again."""
