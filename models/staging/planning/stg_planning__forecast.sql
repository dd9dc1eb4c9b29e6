{#-
    Staging of the raw `forecast` table.
    Planning: one row per campaign, SKU and channel; (campaign_id, sku,
    channel) is unique.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Each value typed once, for the row
    checks and the output alike; `breach_reason` holds the first row check
    the row fails (rules 2 to 4 of the contract), null when it passes.
-#}

with

merged as (

    {{ merge_exact_duplicates(
        source('planning', 'forecast'), 'forecast') }}

),

checked as (

    select
        *,
        {{ first_row_breach('forecast') }} as breach

    from merged

),

final as (

    select
        -- ids
        campaign_id,
        sku,

        -- text
        channel,

        -- numbers
        forecast_units__typed as forecast_units,
        forecast_cost__typed as forecast_cost,
        forecast_leads__typed as forecast_leads,
        forecast_conversions__typed as forecast_conversions,

        -- row checks
        coalesce(campaign_id, '') || '|' || coalesce(sku, '')
        || '|' || coalesce(channel, '') as row_key,
        merged_copies,
        {{ breach_reason('breach') }} as breach_reason,
        {{ breach_detail('breach') }} as breach_detail

    from checked

)

select * from final
