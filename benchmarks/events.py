"""Benchmark the events' documents: the activity report of a large multi-day event, and certificates.

    python -m benchmarks.events --database-url postgres://postgres@127.0.0.1:5432/sinergi_bench \
        [--participants 1000] [--days 3] [--certificates 500] [--markdown FILE]

The database must hold the demo logins and register (``benchmarks.generate`` or ``manage.py
seed_demo``). The benchmark makes a throwaway training of the Kesbangpol unit with ``--participants``
registered participants (delegates of the register's Ormas), each checked in with a drawn
signature on every one of ``--days`` days, a pre- and post-test answered by all and a survey
answered by most (rows written in bulk: the point is the documents, not the data entry). Then it
times, through the real services and in this process (what one worker does):

- the activity report (``laporan kegiatan``): gathering every count, laying out the report and its
  attendance annex (participants x days rows with signatures), writing the PDF;
- certificates for the first ``--certificates`` participants: issuing them and printing them in
  batches into one PDF.

Targets: the report of a 1,000-participant, 3-day event under 15 s; 500 certificates under 60 s.
Exit status 1 when one is missed. The event and its rows are deleted at the end (audit entries stay).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time

from benchmarks.common import database_label, require_generated, setup_django

REPORT_TARGET_S = 15.0
CERTIFICATES_TARGET_S = 60.0


def run(args: argparse.Namespace) -> int:
    os.environ["TASKS_BACKEND"] = "django.tasks.backends.dummy.DummyBackend"
    setup_django(args.database_url)
    require_generated()
    import random

    from django.db import transaction
    from django.utils import timezone

    from sinergi.accounts.models import Role, Unit, User
    from sinergi.core.context import acting_as
    from sinergi.events.demo import signatures
    from sinergi.events.models import (
        Answer,
        Certificate,
        CheckIn,
        Event,
        EventDay,
        GeneratedDocument,
        Participant,
        SurveyResponse,
        Test,
        TestAttempt,
    )
    from sinergi.events.selectors.after_scoring import score
    from sinergi.events.services import after_documents, after_tests
    from sinergi.registry.models import Organisation

    rng = random.Random(2026)
    admin = User.objects.filter(roles__kind=Role.Kind.ADMIN, roles__unit__region__code="31").order_by("pk").first()
    unit = Unit.objects.filter(region__code="31", kind=Unit.Kind.PROVINCE_OFFICE).first()
    if admin is None or unit is None:
        raise SystemExit("no Kesbangpol administrator or unit: load the demo logins first")
    ormas = list(Organisation.objects.filter(kind__code="ormas").order_by("pk")[: max(1, args.participants // 3)])

    with acting_as(admin, channel="system"), transaction.atomic():
        start = datetime.date(2026, 3, 9)
        event = Event.objects.create(
            kind=Event.Kind.TRAINING,
            unit=unit,
            region=unit.region,
            title=f"Benchmark: pelatihan {args.participants} peserta, {args.days} hari",
            venue="Hotel Benchmark, Bogor",
            status=Event.Status.FINISHED,
            finished_at=timezone.now(),
            created_by=admin,
            signatory_name="Benchmark",
            signatory_position="Kepala Badan",
        )
        days = EventDay.objects.bulk_create(
            EventDay(
                event=event,
                date=start + datetime.timedelta(days=i),
                starts_at=datetime.time(8),
                ends_at=datetime.time(16),
            )
            for i in range(args.days)
        )
        people = Participant.objects.bulk_create(
            Participant(
                event=event,
                organisation=ormas[i % len(ormas)] if ormas else None,
                full_name=f"Peserta Benchmark {i:04d}",
                position="Anggota",
                identity=f"bench:{i}",
                source=Participant.Source.INVITATION,
            )
            for i in range(args.participants)
        )
        drawn = signatures(20, rng)
        CheckIn.objects.bulk_create(
            CheckIn(
                participant=p,
                day=d,
                method=CheckIn.Method.QR,
                checked_in_at=timezone.make_aware(datetime.datetime.combine(d.date, datetime.time(7, 45))),
                signature=rng.choice(drawn),
            )
            for p in people
            for d in days
        )
        bank = after_tests.bank_create(unit=unit, name="Benchmark", by=admin)
        questions = [
            after_tests.question_add(bank=bank, text=f"Soal {i}", choices=["Benar", "Salah"], correct=0, by=admin)
            for i in range(10)
        ]
        for kind in (Test.Kind.PRE, Test.Kind.POST):
            test = Test.objects.create(event=event, kind=kind)
            test.questions.set(questions)
            attempts = TestAttempt.objects.bulk_create(
                TestAttempt(test=test, participant=p, correct=(c := rng.randint(3, 10)), total=10, score=score(c, 10))
                for p in people
            )
            right = {q.pk: q.choices.get(is_correct=True) for q in questions}
            Answer.objects.bulk_create(
                Answer(attempt=a, question=q, choice=right[q.pk]) for a in attempts for q in questions
            )
        SurveyResponse.objects.bulk_create(
            SurveyResponse(event=event, participant=p, **{f"u{i}": rng.choice([3, 3, 4]) for i in range(1, 10)})
            for p in people
            if rng.random() < 0.85
        )

    failed = 0
    lines: list[str] = []
    try:
        with acting_as(admin, channel="task"):
            report = GeneratedDocument.objects.create(
                event=event, kind=GeneratedDocument.Kind.REPORT, requested_by=admin
            )
            began = time.perf_counter()
            after_documents.document_build(document_id=report.pk)
            report_s = time.perf_counter() - began
            report.refresh_from_db()
            size = report.file.size if report.file else 0
            lines.append(
                f"activity report, {args.participants} participants x {args.days} days: {report_s:.1f} s, "
                f"{size / 1_000_000:.1f} MB, status {report.status} (target < {REPORT_TARGET_S:.0f} s)"
            )
            print(lines[-1])
            if report.status != "done" or report_s >= REPORT_TARGET_S:
                failed = 1

            # Certificates for the first --certificates participants: the others did not attend.
            CheckIn.objects.filter(participant__in=people[args.certificates :]).delete()
            certificates = GeneratedDocument.objects.create(
                event=event, kind=GeneratedDocument.Kind.CERTIFICATES, requested_by=admin
            )
            began = time.perf_counter()
            after_documents.document_build(document_id=certificates.pk)
            certificates_s = time.perf_counter() - began
            certificates.refresh_from_db()
            issued = Certificate.objects.filter(participant__event=event).count()
            lines.append(
                f"certificates: {issued} issued and printed in {certificates_s:.1f} s, status {certificates.status} "
                f"(target < {CERTIFICATES_TARGET_S:.0f} s)"
            )
            print(lines[-1])
            if certificates.status != "done" or certificates_s >= CERTIFICATES_TARGET_S:
                failed = 1
    finally:
        for document in event.documents.all():
            document.file.delete(save=False)
        Certificate.objects.filter(participant__event=event).delete()
        event.delete()
        bank.delete()
    if args.markdown:
        with open(args.markdown, "a", encoding="utf-8") as out:
            out.write(f"\n## Events ({database_label()})\n\n" + "\n".join(f"- {line}" for line in lines) + "\n")
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--certificates", type=int, default=500)
    parser.add_argument("--markdown", help="append the results to this Markdown file")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
