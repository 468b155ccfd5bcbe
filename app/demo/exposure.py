"""Demo: Sam (OCD, ERP) has a contamination ladder and five weeks of practices with distress coming down."""
import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from app.exposure import services
from app.exposure.rules import check_practice
from app.models.exposure import Hierarchy, ItemStatus

LADDER = (
    ("Touch the kitchen door handle without washing", "Washing hands", 30),
    ("Use a public bathroom tap", "Washing hands", 45),
    ("Hold the rubbish bin lid for a minute", "Washing hands and wiping the lid", 55),
    ("Eat a snack after touching a supermarket trolley", "Using hand sanitiser", 65),
    ("Sit on the floor of the bus station", "Changing clothes on getting home", 80),
    ("Touch a public toilet seat and then my face", "Showering", 95),
)
WEEKS = 5


def seed_exposure(db: Session, clinic) -> None:
    patient = clinic.people["sam"]
    if db.exec(select(Hierarchy).where(Hierarchy.patient_id == patient.id)).first() is not None:
        return
    tz = ZoneInfo(patient.timezone)
    rng = random.Random(7)
    start = clinic.now - timedelta(weeks=WEEKS)
    ladder = services.create_hierarchy(db, patient=patient, title="Contamination")
    items = [services.add_item(db, hierarchy=ladder, kind="erp", description=text, ritual=ritual, suds=suds,
                               by=clinic.people["therapist"], at=start) for text, ritual, suds in LADDER]
    # Sam climbs: the first two items for the first weeks, then the third; the first is mastered by week 4.
    for week in range(WEEKS):
        for item_index, practices in ((0, 3 if week < 3 else 0), (1, 3 if week >= 1 else 0), (2, 2 if week >= 3 else 0)):
            item = items[item_index]
            for n in range(practices):
                local_day = (start + timedelta(days=week * 7 + n * 2 + item_index)).astimezone(tz).date()
                started = datetime.combine(local_day, time(18, 30 + rng.randint(0, 25)), tz)
                if started >= clinic.now:
                    continue
                done = week * 3 + n - (3 if item_index == 1 else 0) - (9 if item_index == 2 else 0)
                base = LADDER[item_index][2]
                before = max(5, base - 3 * done + rng.randint(-5, 5))
                peak = max(before, min(100, base + 15 - 5 * done + rng.randint(-5, 5)))
                after = max(0, peak - 25 - 2 * done + rng.randint(-5, 5))
                entry = check_practice(
                    kind=item.kind, started_at=started.astimezone(tz), duration_minutes=rng.choice((20, 25, 30, 40)),
                    suds_before=min(100, before), suds_peak=max(0, peak), suds_after=after,
                    ritual_resisted="fully" if done > 2 or rng.random() > .4 else "partly",
                    feared_outcome="I'll get ill and pass it on to my family",
                    likelihood_before=max(10, 85 - 6 * done), what_happened="Felt dirty for a while, nothing bad happened",
                    likelihood_after=max(5, 50 - 7 * done), notes="", now=started + timedelta(hours=1),
                )
                services.log_practice(db, patient=patient, item=item, entry=entry, entry_token=None,
                                      at=started + timedelta(minutes=entry.duration_minutes))
        if week == 2:
            services.rerate(db, item=items[1], suds=35, by=clinic.people["therapist"],
                            at=start + timedelta(weeks=week, days=6))
    services.set_status(db, item=items[0], status=ItemStatus.mastered)
