"""Seed where the core indicators are found in DfE's published files.

The first thirteen follow the table in DESIGN.md section 7. The last four are
the rates per 10,000 that DfE publishes only as counts: the portal divides
them by the ONS population of children aged 0 to 17.

File stems, filter values and column names are DfE's as of the 2025 releases.
They change between releases, so every mapping is data the analyst edits in
the admin; a column list names each spelling the portal accepts.
"""

from django.db import migrations

CATEGORY_REFERRALS = {"category": "Referrals and Re-referrals"}
CARE_LEAVERS_19_TO_21 = {"care_leaver_age": "19 to 21 years"}

# code, file stem, filters, value columns, numerator columns, denominator
# columns, rate from population.
MAPPINGS = [
    (
        "REREF_12M",
        "c1_children_in_need_referrals_and_rereferrals",
        CATEGORY_REFERRALS,
        ["rereferral_percent", "Re_referrals_percent"],
        ["rereferral_count", "Re_referrals"],
        ["referral_count", "Referrals"],
        False,
    ),
    (
        "CPP_REPEAT",
        "d3_cpps_subsequent_plan",
        {},
        ["CPP_subsequent_percent"],
        ["CPP_subsequent"],
        ["CPP_start"],
        False,
    ),
    (
        "CPP_2YRS",
        "d5_cpps_at31march_by_duration",
        {},
        ["2_years_or_more_percent"],
        ["2_years_or_more"],
        ["CPP_At31"],
        False,
    ),
    (
        "CLA_RATE",
        "cla_number_and_rate_per_10k_children",
        {"population_type": "Children looked after on 31 March each year"},
        ["rate_per_10000"],
        [],
        [],
        False,
    ),
    (
        "STAB_SHORT",
        "la_cla_placement_stability",
        {
            "cla_group": "CLA on 31 March",
            "placement_stability": "With 3 or more placements during the year",
        },
        ["children_percent"],
        [],
        [],
        False,
    ),
    (
        "STAB_LONG",
        "la_cla_placement_stability",
        {
            "cla_group": "Children looked after continuously for at least 2.5 years "
            "on 31 March aged under 16 years",
            "placement_stability": "Living with the same carer for at least 2 years",
        },
        ["children_percent"],
        [],
        [],
        False,
    ),
    (
        "CL_EET",
        "la_care_leavers_activity",
        {
            **CARE_LEAVERS_19_TO_21,
            "breakdown": "Total in education, employment or training",
        },
        ["care_leaver_percent"],
        [],
        [],
        False,
    ),
    (
        "CL_ACCOM",
        "la_care_leavers_accommodation_suitability",
        {**CARE_LEAVERS_19_TO_21, "breakdown": "Accommodation considered suitable"},
        ["care_leaver_percent"],
        [],
        [],
        False,
    ),
    # The workforce census has no numerator and denominator worth keeping:
    # Kingston and Richmond report together, so summing its counts over LAs
    # would count their shared workforce twice.
    ("SW_TURNOVER", "csww_indicators", {}, ["turnover_rate_fte"], [], [], False),
    ("SW_AGENCY", "csww_indicators", {}, ["agency_rate_fte"], [], [], False),
    ("SW_VACANCY", "csww_indicators", {}, ["vacancy_rate_fte"], [], [], False),
    ("SW_CASELOAD", "csww_indicators", {}, ["caseload_fte"], [], [], False),
    (
        "EHCP_20WK",
        "timeliness_20_week",
        # The file breaks the plans down by characteristics; the total row is
        # "All EHC plans issued" in 2025 and "All EHC plans" in later releases.
        {"breakdown_topic": ["All EHC plans issued", "All EHC plans"]},
        ["PC_plans_issued_20_weeks_ex"],
        ["plans_issued_20_weeks_ex"],
        ["plans_issued_den_ex"],
        False,
    ),
    # Counts only, from the children in need release of 2025.
    (
        "REF_RATE",
        "c1_children_in_need_referrals_and_rereferrals",
        CATEGORY_REFERRALS,
        ["referral_count", "Referrals"],
        [],
        [],
        True,
    ),
    ("CIN_RATE", "b1_children_in_need", {}, ["At31_episodes"], [], [], True),
    (
        "S47_RATE",
        "c4_children_in_need_section_47s_and_icpcs",
        {},
        ["Section47"],
        [],
        [],
        True,
    ),
    ("CPP_RATE", "d1_child_protection_plans", {}, ["CPP_At31"], [], [], True),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Mapping = apps.get_model("benchmarking", "PublishedSourceMapping")
    indicators = {i.code: i for i in Indicator.objects.all()}

    for code, stem, filters, values, numerators, denominators, rate in MAPPINGS:
        # An indicator the analyst has removed gets no mapping.
        if code not in indicators:
            continue
        Mapping.objects.update_or_create(
            indicator=indicators[code],
            file_stem=stem,
            defaults={
                # A file without its filter columns cannot select the rows.
                "required_columns": list(filters),
                "filters": filters,
                "value_columns": values,
                "numerator_columns": numerators,
                "denominator_columns": denominators,
                "rate_from_population": rate,
            },
        )


def unseed(apps, schema_editor):
    Mapping = apps.get_model("benchmarking", "PublishedSourceMapping")
    for code, stem, *_ in MAPPINGS:
        Mapping.objects.filter(indicator__code=code, file_stem=stem).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarking", "0001_initial"),
        ("indicators", "0002_core_indicators"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
