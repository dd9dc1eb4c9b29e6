{#-
    Staging of the raw `campaigns` table.
    Planning: one row per campaign.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Each value typed once, for the row
    checks and the output alike; `breach_reason` holds the first row check
    the row fails (rules 2 to 4 of the contract), null when it passes.
-#}

with

merged as (

    {{ merge_exact_duplicates(
        source('planning', 'campaigns'), 'campaigns') }}

),

checked as (

    select
        *,
        {{ first_row_breach('campaigns') }} as breach

    from merged

),

time_checked as (

    select
        *,
        coalesce(
            breach,
            case
                when end_date__typed < start_date__typed
                    then 'end_before_start:end_date'
            end
        ) as first_breach

    from checked

),

final as (

    select
        -- ids
        campaign_id,

        -- text
        campaign_name,
        currency,

        -- numbers
        budget__typed as budget,

        -- dates
        start_date__typed as start_date,
        end_date__typed as end_date,

        -- row checks
        campaign_id as row_key,
        merged_copies,
        {{ breach_reason('first_breach') }} as breach_reason,
        {{ breach_detail('first_breach') }} as breach_detail

    from time_checked

)

select * from final
