{#-
    The headline figures of each campaign, one column per figure, named as
    in metrics.md and report-json.md (the windows in force in the names).
    Grain: one row per campaign. The figures every breakdown shares come
    from kpis_by_member; this model adds those that exist for a campaign as
    a whole: incrementality (metrics.md, Incrementality), the budget
    variance and the forecast error (forecast_wape_units).
-#}

{% set windows = var('attribution_windows') %}

with

campaigns as (

    select * from {{ ref('dim_campaigns') }}

),

members as (

    select * from {{ ref('kpis_by_member') }}

    where dimension = 'campaign'

),

incrementality as (

    select * from {{ ref('incrementality') }}

),

forecast as (

    select * from {{ ref('forecast_vs_actual') }}

    where measure = 'units'

),

inventory as (

    select * from {{ ref('stg_raw_input__raw_table_inventory') }}

),

forecast_error as (

    select
        forecast.campaign_id,
        {{ safe_ratio(
            'sum(abs(forecast.actual - coalesce(forecast.forecast, 0)))',
            'sum(coalesce(forecast.forecast, 0))') }} as forecast_wape_units

    from forecast

    inner join inventory
        on inventory.table_name = 'forecast' and inventory.is_present

    group by 1

),

joined as (

    select
        members.*,
        {% for window in windows %}
            lift_{{ window }}d.lift as incremental_lift_{{ window }}d,
            lift_{{ window }}d.incremental_leads
                as incremental_leads_{{ window }}d,
            case
                when lift_{{ window }}d.lift > 0
                    then {{ safe_ratio(
                        'members.total_cost',
                        'lift_' ~ window ~ 'd.incremental_leads') }}
            end as incremental_cpl_{{ window }}d,
        {% endfor %}
        cast(members.total_cost - campaigns.budget as {{ decimal_type() }})
            as budget_variance,
        forecast_error.forecast_wape_units

    from campaigns

    inner join members
        on campaigns.campaign_id = members.campaign_id

    {% for window in windows %}
        left join incrementality as lift_{{ window }}d
            on
                campaigns.campaign_id = lift_{{ window }}d.campaign_id
                and lift_{{ window }}d.window_days = {{ window }}
    {% endfor %}

    left join forecast_error
        on campaigns.campaign_id = forecast_error.campaign_id

),

final as (

    select
        campaign_id,
        {{ kpi_columns('campaign') | join(',\n        ') }}

    from joined

)

select * from final
