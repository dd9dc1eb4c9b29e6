{#-
    Staging of the raw `debrief_attendance` table.
    Governance: who attended the post-mortem debrief.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Each value typed once, for the row
    checks and the output alike; `breach_reason` holds the first row check
    the row fails (rules 2 to 4 of the contract), null when it passes.
-#}

with

merged as (

    {{ merge_exact_duplicates(
        source('governance', 'debrief_attendance'), 'debrief_attendance') }}

),

checked as (

    select
        *,
        {{ first_row_breach('debrief_attendance') }} as breach

    from merged

),

final as (

    select
        -- ids
        campaign_id,

        -- text
        team,
        attendee,

        -- dates
        meeting_date__typed as meeting_date,

        -- row checks
        coalesce(campaign_id, '') || '|' || coalesce(meeting_date, '')
        || '|' || coalesce(team, '') as row_key,
        merged_copies,
        {{ breach_reason('breach') }} as breach_reason,
        {{ breach_detail('breach') }} as breach_detail

    from checked

)

select * from final
