{#-
    Staging of the raw `forecast` table.
    Planning: one row per campaign, SKU and channel; (campaign_id, sku,
    channel) is unique.
    Grain: one row per distinct raw row (exact duplicates merged, their
    copies counted in merged_copies). Values typed; `breach_reason` holds the
    first row check the row fails (rules 2 to 4 of the contract), null when
    it passes.
-#}

with

source as (

    select * from {{ source('planning', 'forecast') }}

),

merged as (

    {{ merge_exact_duplicates('source', 'forecast') }}

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
        {{ to_integer('forecast_units') }} as forecast_units,
        {{ to_decimal('forecast_cost') }} as forecast_cost,
        {{ to_integer('forecast_leads') }} as forecast_leads,
        {{ to_integer('forecast_conversions') }} as forecast_conversions,

        -- row checks
        coalesce(campaign_id, '') || '|' || coalesce(sku, '')
        || '|' || coalesce(channel, '') as row_key,
        merged_copies,
        {{ breach_reason('breach') }} as breach_reason,
        {{ breach_detail('breach') }} as breach_detail

    from checked

)

select * from final
