{#-
    Staging of the raw `survey_responses` table.
    Feedback: survey answers of recipients.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Each value typed once, for the row
    checks and the output alike; `breach_reason` holds the first row check
    the row fails (rules 2 to 4 of the contract), null when it passes.
-#}

with

merged as (

    {{ merge_exact_duplicates(
        source('feedback', 'survey_responses'), 'survey_responses') }}

),

checked as (

    select
        *,
        {{ first_row_breach('survey_responses') }} as breach

    from merged

),

final as (

    select
        -- ids
        response_id,
        campaign_id,
        recipient_id,

        -- text
        comment,

        -- numbers
        nps_score__typed as nps_score,

        -- timestamps
        responded_at__typed as responded_at,

        -- row checks
        response_id as row_key,
        merged_copies,
        {{ breach_reason('breach') }} as breach_reason,
        {{ breach_detail('breach') }} as breach_detail

    from checked

)

select * from final
