{#-
    Staging of the raw `recipients` table.
    CRM: everyone the campaign targeted, holdout included.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Each value typed once, for the row
    checks and the output alike; `breach_reason` holds the first row check
    the row fails (rules 2 to 4 of the contract), null when it passes.
-#}

with

merged as (

    {{ merge_exact_duplicates(
        source('crm', 'recipients'), 'recipients') }}

),

checked as (

    select
        *,
        {{ first_row_breach('recipients') }} as breach

    from merged

),

final as (

    select
        -- ids
        recipient_id,
        campaign_id,

        -- text
        {{ hash_email('email') }} as email_hash,
        company,
        segment,
        country,
        variant,

        -- booleans
        is_holdout__typed as is_holdout,

        -- row checks
        recipient_id as row_key,
        merged_copies,
        {{ breach_reason('breach') }} as breach_reason,
        {{ breach_detail('breach') }} as breach_detail

    from checked

)

select * from final
