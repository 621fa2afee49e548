"""Three requesters at work at once on the embedded default (a SQLite file, as `make run` uses): each saves
drafts of a questionnaire section over and over, then submits the questionnaire, all at the same moment.
Run by tests/test_sqlite_team.py in a process of its own, with DATABASE_URL naming a fresh SQLite file;
prints one JSON line: the journal mode, each request's outcome and the stages submitted.

    DATABASE_URL=sqlite:////tmp/team.sqlite3 DJANGO_SETTINGS_MODULE=config.settings.test \\
        python -m tests.sqlite_team /tmp/private"""

import json
import sys
import threading
from collections import Counter


def main(private_root: str, saves: int = 12) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.urls import reverse

    settings.PRIVATE_MEDIA_ROOT = private_root
    call_command("migrate", verbosity=0, interactive=False)

    from reviews.models import Question, Stage, StageKind, StageState
    from tests import builders
    from tests.factories import make_user

    users, reviews = [], []
    for n in range(3):
        user = make_user(f"cmo{n}", "Requester")
        review = builders.start_review(user)
        builders.fill_questionnaire(review, user)
        users.append(user)
        reviews.append(review)
    # The whole of section C, as the page posts it: a draft of one section with every answer in it.
    codes = Question.objects.filter(section__template=reviews[0].template, section__code="C")
    answers = builders.answers_for(reviews[0])
    section_c = {}
    for code in codes.values_list("code", flat=True):
        value, detail = answers[code]
        section_c[f"q_{code}"] = "" if value is None else value
        section_c[f"d_{code}"] = detail
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
    connections.close_all()

    outcomes: Counter = Counter()
    lock = threading.Lock()
    start = threading.Barrier(len(users))

    def work(user, review):
        client = Client()
        client.force_login(user)
        section = reverse("questionnaire_section", args=[review.pk, "C"])
        submit = reverse("stage_submit", args=[review.pk, StageKind.QUESTIONNAIRE])
        start.wait()
        try:
            for i in range(saves):
                response = client.post(section, {**section_c, "d_C1": f"draft {i}", "save": "1"})
                with lock:
                    outcomes[f"save {response.status_code}"] += 1
            response = client.post(submit)
            refused = client.session.get("vetted_submit_error")
            with lock:
                outcomes[f"submit {response.status_code}" + (f" refused: {refused}" if refused else "")] += 1
        except Exception as exc:  # noqa: BLE001  (a "database is locked" surfaces here: the client re-raises)
            with lock:
                outcomes[f"error {type(exc).__name__}: {exc}"] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=pair) for pair in zip(users, reviews, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    submitted = Stage.objects.filter(
        review__in=reviews, kind=StageKind.QUESTIONNAIRE, state=StageState.SUBMITTED
    ).count()
    return {"journal_mode": journal_mode, "outcomes": dict(outcomes), "submitted": submitted}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
