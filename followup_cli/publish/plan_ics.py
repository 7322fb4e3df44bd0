"""`plan --format ics`: the plan as a calendar to import in Outlook or Google Calendar.

One all-day event per review on the month's event day. The UID is the review's
stable id (year, provider, review type and theme: plan/rules.review_id, its å/ä/ö percent-encoded), and DTSTAMP is the plan's as-of date,
so importing a re-run plan updates the same events instead of adding copies,
and the same input gives byte-identical output on any day.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from followup_cli.plan.build import Plan, PlanItem
from followup_cli.plan.calendar import event_date
from followup_cli.publish.plan_workbook import plan_title

PRODID = "-//followup//uppföljningsplan//SV"


def plan_ics(plan: Plan) -> str:
    """The calendar as RFC 5545 text: CRLF line ends, lines folded at 75 octets (icalendar does both)."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", plan_title(plan))
    stamp = dt.datetime.combine(plan.as_of, dt.time(), tzinfo=dt.timezone.utc)
    for item in plan.items:
        day = event_date(plan.year, item.month, plan.config.event_day)
        event = Event()
        event.add("uid", f"{quote(item.review_id, safe='+-_%')}@followup")  # ASCII: some calendar servers reject more
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", f"{item.review_type}: {item.name} ({item.method})")
        event.add("description", _description(item))
        event.add("categories", [item.unit])
        event.add("transp", "TRANSPARENT")  # a planning marker, not a meeting: it does not make anyone busy
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def _description(item: PlanItem) -> str:
    lines = [
        f"Utförare: {item.name} ({item.provider_id})",
        f"Uppföljande enhet: {item.unit}",
        f"Typ: {item.review_type}" + (f", tema {item.theme}" if item.theme else ""),
        f"Metod: {item.method}, {item.hours:g} timmar",
        f"Obligatorisk: {'Ja' if item.mandatory else 'Nej'}" + (" (stickprov)" if item.sample else ""),
        f"Risk: {item.risk_value} {item.level}",
        "Skäl:",
        *(f"- {reason}" for reason in item.reasons),
    ]
    return "\n".join(lines)
