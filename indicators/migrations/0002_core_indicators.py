"""Seed the 18 core indicators of DESIGN.md section 5.

Flows are counted over the 12 months to the end of the quarter, so that a
quarter's figure compares with the annual published statistics; stocks are
counted on the last day of the quarter.
"""

from django.db import migrations

POPULATION = "Children aged under 18 living in the LA (latest ONS mid-year estimate)"
REFERRALS = "Referrals in the 12 months to the end of the quarter"
CARE_LEAVERS = "Care leavers aged 19 to 21 the LA is in touch with"

# code, name, unit, places, polarity, source, numerator, denominator, definition
CORE = [
    (
        "REF_RATE",
        "Referrals to children's social care per 10,000 children",
        "rate_per_10k",
        1,
        "neither",
        "cin",
        REFERRALS,
        POPULATION,
        "Referrals to children's social care received in the 12 months to the end "
        "of the quarter, per 10,000 children aged under 18.",
    ),
    (
        "REREF_12M",
        "Re-referrals within 12 months of a previous referral",
        "percent",
        1,
        "low_good",
        "cin",
        "Of those referrals, the number within 12 months of a previous referral",
        REFERRALS,
        "The percentage of referrals in the 12 months to the end of the quarter "
        "that came within 12 months of a previous referral of the same child.",
    ),
    (
        "ASSESS_45D",
        "Assessments completed within 45 working days",
        "percent",
        1,
        "high_good",
        "cin",
        "Assessments completed within 45 working days in the 12 months",
        "Assessments completed in the 12 months to the end of the quarter",
        "The percentage of children and family assessments completed in the 12 "
        "months to the end of the quarter that took 45 working days or fewer.",
    ),
    (
        "CIN_RATE",
        "Children in need per 10,000 children (at period end)",
        "rate_per_10k",
        1,
        "neither",
        "cin",
        "Children in need on the last day of the quarter",
        POPULATION,
        "Children in need on the last day of the quarter, per 10,000 children "
        "aged under 18.",
    ),
    (
        "S47_RATE",
        "Section 47 enquiries started per 10,000 children",
        "rate_per_10k",
        1,
        "neither",
        "cin",
        "Section 47 enquiries started in the 12 months to the end of the quarter",
        POPULATION,
        "Section 47 enquiries started in the 12 months to the end of the quarter, "
        "per 10,000 children aged under 18.",
    ),
    (
        "CPP_RATE",
        "Children on a child protection plan per 10,000 children",
        "rate_per_10k",
        1,
        "neither",
        "cin",
        "Children on a child protection plan on the last day of the quarter",
        POPULATION,
        "Children on a child protection plan on the last day of the quarter, per "
        "10,000 children aged under 18.",
    ),
    (
        "CPP_REPEAT",
        "Child protection plans that are a second or subsequent plan",
        "percent",
        1,
        "low_good",
        "cin",
        "Of those plans, the number that were a second or subsequent plan",
        "Child protection plans started in the 12 months to the end of the quarter",
        "The percentage of child protection plans started in the 12 months to the "
        "end of the quarter that were the child's second or subsequent plan, ever.",
    ),
    (
        "CPP_2YRS",
        "Child protection plans open for two years or more",
        "percent",
        1,
        "low_good",
        "cin",
        "Of those children, the number on a plan for two years or more",
        "Children on a child protection plan on the last day of the quarter",
        "The percentage of children on a child protection plan on the last day of "
        "the quarter whose plan had lasted two years or more.",
    ),
    (
        "CLA_RATE",
        "Children looked after per 10,000 children (at period end)",
        "rate_per_10k",
        1,
        "neither",
        "ssda903",
        "Children looked after on the last day of the quarter",
        POPULATION,
        "Children looked after on the last day of the quarter, per 10,000 children "
        "aged under 18.",
    ),
    (
        "STAB_SHORT",
        "Children looked after with three or more placements in the year",
        "percent",
        1,
        "low_good",
        "ssda903",
        "Of those children, the number with three or more placements in the 12 months",
        "Children looked after on the last day of the quarter",
        "The percentage of children looked after on the last day of the quarter who "
        "had three or more placements in the 12 months to that day.",
    ),
    (
        "STAB_LONG",
        "Long-term looked-after children under 16 with the same carer for two years",
        "percent",
        1,
        "high_good",
        "ssda903",
        "Of those children, the number living with the same carer for at least "
        "two years",
        "Children under 16 looked after continuously for at least two and a half years",
        "The percentage of children under 16 looked after continuously for at least "
        "two and a half years who have lived with the same carer for at least two "
        "years, or are placed for adoption.",
    ),
    (
        "CL_EET",
        "Care leavers aged 19–21 in education, employment or training",
        "percent",
        1,
        "high_good",
        "ssda903",
        "Of those care leavers, the number in education, employment or training",
        CARE_LEAVERS,
        "The percentage of care leavers aged 19 to 21 who are in education, "
        "employment or training, as recorded around their birthday.",
    ),
    (
        "CL_ACCOM",
        "Care leavers aged 19–21 in suitable accommodation",
        "percent",
        1,
        "high_good",
        "ssda903",
        "Of those care leavers, the number in accommodation considered suitable",
        CARE_LEAVERS,
        "The percentage of care leavers aged 19 to 21 whose accommodation is "
        "considered suitable, as recorded around their birthday.",
    ),
    (
        "SW_TURNOVER",
        "Children's social worker turnover (FTE)",
        "percent",
        1,
        "low_good",
        "csww",
        "Children and family social workers who left in the 12 months (FTE)",
        "Children and family social workers in post at the end of the quarter (FTE)",
        "Full-time-equivalent children and family social workers who left the LA in "
        "the 12 months to the end of the quarter, as a percentage of those in post "
        "at its end.",
    ),
    (
        "SW_AGENCY",
        "Agency social workers as a share of all social workers (FTE)",
        "percent",
        1,
        "low_good",
        "csww",
        "Agency children and family social workers at the end of the quarter (FTE)",
        "All children and family social workers at the end of the quarter, agency "
        "included (FTE)",
        "Agency workers as a percentage of all full-time-equivalent children and "
        "family social workers on the last day of the quarter.",
    ),
    (
        "SW_VACANCY",
        "Social worker vacancy rate (FTE)",
        "percent",
        1,
        "low_good",
        "csww",
        "Vacant children and family social worker posts at the end of the quarter "
        "(FTE)",
        "Children and family social worker posts at the end of the quarter, filled "
        "and vacant (FTE)",
        "Vacant full-time-equivalent children and family social worker posts as a "
        "percentage of all such posts on the last day of the quarter.",
    ),
    (
        "SW_CASELOAD",
        "Average caseload per case-holding social worker (FTE)",
        "ratio",
        1,
        "low_good",
        "csww",
        "Cases held by case-holding children and family social workers",
        "Case-holding children and family social workers (FTE)",
        "Cases held on the last day of the quarter divided by the full-time-"
        "equivalent number of case-holding children and family social workers.",
    ),
    (
        "EHCP_20WK",
        "New EHC plans issued within 20 weeks, excluding exceptions",
        "percent",
        1,
        "high_good",
        "sen2",
        "Of those plans, the number issued within 20 weeks",
        "New education, health and care plans issued in the 12 months to the end of "
        "the quarter, excluding exceptions",
        "The percentage of new education, health and care plans issued in the 12 "
        "months to the end of the quarter within 20 weeks of the request, leaving "
        "out the cases the regulations except.",
    ),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for order, row in enumerate(CORE, start=1):
        code, name, unit, places, polarity, source, num, den, definition = row
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "decimal_places": places,
                "polarity": polarity,
                "source": source,
                "numerator_label": num,
                "denominator_label": den,
                "definition": definition,
                "display_order": order * 10,
                "is_core": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
