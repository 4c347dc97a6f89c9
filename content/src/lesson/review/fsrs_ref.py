"""Prints the FSRS-6 reference values that review/tests.rs compares with.

    python3 -m venv /tmp/fsrs && /tmp/fsrs/bin/pip install fsrs==6.3.2
    /tmp/fsrs/bin/python content/src/lesson/review/fsrs_ref.py
"""
from datetime import datetime, timedelta, timezone

from fsrs import Card, Rating, Scheduler

s = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
t0 = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


def on_days(seq):
    """Reviews on the given days: [(day, rating)]."""
    card, out = Card(), []
    for day, r in seq:
        now = t0 + timedelta(days=day)
        card, _ = s.review_card(card, Rating(r), now)
        out.append((day, r, card.stability, card.difficulty, (card.due - now).days))
    return out


def when_due(ratings):
    """Each review on the day the previous one scheduled."""
    card, now, out = Card(), t0, []
    for r in ratings:
        card, _ = s.review_card(card, Rating(r), now)
        out.append(((now - t0).days, r, card.stability, card.difficulty, (card.due - now).days))
        now = card.due
    return out


for r in (1, 2, 3, 4):
    print("first", r, on_days([(0, r)]))
print("good chain", when_due([3, 3, 3, 3, 3, 3]))
print("mixed", when_due([3, 3, 1, 3, 2, 4]))
print("same day", on_days([(0, 3), (0, 3), (0, 1)]))
print("late", on_days([(0, 3), (30, 3)]))
card, _ = s.review_card(Card(), Rating(3), t0)
for d in (0, 1, 2, 5, 10):
    print("R", d, s.get_card_retrievability(card, t0 + timedelta(days=d)))
