"""Small pieces more than one capability uses: numbers, platform profiles, people, scheduling helpers."""
