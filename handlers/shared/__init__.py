"""Small pieces more than one capability uses: ``time`` (parsing, saying and naming times and
periods), numbers, platform profiles, people, pending questions, scheduling helpers, results."""
