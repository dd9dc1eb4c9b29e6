{#-
    Staging of the raw `campaigns` table.
    Planning: one row per campaign.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Values typed; `breach_reason` holds the
    first row check the row fails (rules 2 to 4 of the contract), null when
    it passes.
-#}

with

source as (

    select * from {{ source('planning', 'campaigns') }}

),

merged as (

    {{ merge_exact_duplicates('source', 'campaigns') }}

),

checked as (

    select
        *,
        {{ first_row_breach('campaigns') }} as breach

    from merged

),

typed as (

    select
        -- ids
        campaign_id,

        -- text
        campaign_name,
        currency,

        -- numbers
        {{ to_decimal('budget') }} as budget,

        -- dates
        {{ to_date('start_date') }} as start_date,
        {{ to_date('end_date') }} as end_date,

        -- row checks
        campaign_id as row_key,
        merged_copies,
        breach

    from checked

),

time_checked as (

    select
        *,
        coalesce(
            breach,
            case
                when end_date < start_date
                    then 'end_before_start:end_date'
            end
        ) as first_breach

    from typed

),

final as (

    select
        campaign_id,
        campaign_name,
        currency,
        budget,
        start_date,
        end_date,
        row_key,
        merged_copies,
        {{ breach_reason('first_breach') }} as breach_reason,
        {{ breach_detail('first_breach') }} as breach_detail

    from time_checked

)

select * from final
