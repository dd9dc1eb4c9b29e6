{#-
    Every headline figure of metrics.md, computed once for every group it is
    broken down by: the campaign itself, and each SKU, channel, SKU-channel
    pair, segment and variant of it. campaign_kpis and the breakdown marts
    select from here, so a definition cannot differ between them.
    Grain: one row per campaign, dimension, member and member_channel
    (the channel of a SKU-channel pair, else null).

    Figures whose optional input table is absent are null, never 0 (see
    metrics.md, General rules); so is every ratio with a zero denominator.
    Incrementality, the budget variance and the forecast error exist for the
    campaign as a whole only: they are added in campaign_kpis.

    The two member tables (about eight rows per shipment or recipient) are
    read where each total needs them, not through one CTE: DuckDB scans a
    CTE read several times once and feeds every reader at the same time,
    holding all their hash tables together, which spilled to disk at a
    million recipients and took twice as long.
-#}

{% set windows = var('attribution_windows') %}
{% set long = windows | max %}

with

campaigns as (

    select campaign_id from {{ ref('dim_campaigns') }}

),

shipments as (

    select * from {{ ref('fct_shipments') }}

),

returns as (

    select * from {{ ref('fct_returns') }}

),

recipients as (

    select * from {{ ref('int_recipients__delivered') }}

),

codes as (

    select * from {{ ref('fct_codes') }}

),

leads as (

    select * from {{ ref('fct_leads') }}

),

responses as (

    select * from {{ ref('fct_responses') }}

    where is_counted

),

inventory as (

    select * from {{ ref('stg_raw_input__raw_table_inventory') }}

),

present as (

    {{ tables_present('inventory', [
        'codes', 'code_events', 'leads', 'opportunities', 'returns',
        'survey_responses',
    ]) }}

),

groups as (

    -- every campaign has its row, even one that reached nobody
    select
        campaign_id,
        'campaign' as dimension,
        campaign_id as member,
        cast(null as {{ dbt.type_string() }}) as member_channel
    from campaigns

    union

    select distinct
        campaign_id,
        dimension,
        member,
        member_channel
    from {{ ref('int_shipment_members') }}

    union

    select distinct
        campaign_id,
        dimension,
        member,
        member_channel
    from {{ ref('int_recipient_members') }}

),

shipment_totals as (

    select
        shipment_members.campaign_id,
        shipment_members.dimension,
        shipment_members.member,
        shipment_members.member_channel,
        sum(shipments.units_shipped) as units_shipped,
        sum(shipments.units_delivered) as units_delivered,
        sum(shipments.item_cost) as item_cost,
        sum(shipments.logistics_cost) as shipment_logistics_cost

    from {{ ref('int_shipment_members') }} as shipment_members

    inner join shipments
        on shipment_members.shipment_id = shipments.shipment_id

    group by 1, 2, 3, 4

),

return_totals as (

    select
        shipment_members.campaign_id,
        shipment_members.dimension,
        shipment_members.member,
        shipment_members.member_channel,
        sum(returns.handling_cost) as return_handling_cost,
        sum(returns.quantity) as returned_units,
        coalesce(
            sum(returns.quantity) filter (where returns.reason = 'defect'), 0
        ) as defective_units

    from {{ ref('int_shipment_members') }} as shipment_members

    inner join returns
        on shipment_members.shipment_id = returns.shipment_id

    group by 1, 2, 3, 4

),

recipient_totals as (

    select
        recipient_members.campaign_id,
        recipient_members.dimension,
        recipient_members.member,
        recipient_members.member_channel,
        count(*) filter (
            where recipients.is_delivered_recipient
        ) as delivered_recipients

    from {{ ref('int_recipient_members') }} as recipient_members

    inner join recipients
        on recipient_members.recipient_id = recipients.recipient_id

    group by 1, 2, 3, 4

),

code_totals as (

    select
        shipment_members.campaign_id,
        shipment_members.dimension,
        shipment_members.member,
        shipment_members.member_channel,
        count(*) filter (where codes.is_delivered_code) as delivered_codes,
        count(*) filter (where codes.is_activated) as activated_codes,
        count(*) filter (
            where codes.is_delivered_code and codes.code_type = 'qr'
        ) as delivered_qr_codes,
        count(*) filter (
            where codes.is_delivered_code and codes.code_type = 'qr'
            and codes.has_qualifying_scan
        ) as scanned_qr_codes,
        count(*) filter (
            where codes.is_delivered_code and codes.has_qualifying_redeem
        ) as redeemed_codes,
        {#- days_to_activation is null for codes not activated -#}
        
        percentile_cont(0.5) within group (
            order by codes.days_to_activation
        ) as median_days_to_activation

    from {{ ref('int_shipment_members') }} as shipment_members

    inner join codes
        on shipment_members.shipment_id = codes.shipment_id

    group by 1, 2, 3, 4

),

recipient_leads as (

    -- each recipient's leads counted first (a few per recipient), so that
    -- the breakdown below sums a row per recipient and member rather than
    -- counting distinct recipients over every lead of every member
    select
        campaign_id,
        recipient_id,
        {% for window in windows %}
            count(*) filter (where window_days = {{ window }})
                as leads_{{ window }}d,
            count(*) filter (
                where window_days = {{ window }} and is_qualified
            ) as qualified_leads_{{ window }}d,
            count(*) filter (
                where window_days = {{ window }} and conversions > 0
            ) as converting_leads_{{ window }}d,
            sum(conversions) filter (where window_days = {{ window }})
                as conversions_{{ window }}d,
            sum(revenue) filter (where window_days = {{ window }})
                as revenue_{{ window }}d,
            sum(pipeline) filter (where window_days = {{ window }})
                as pipeline_{{ window }}d,
        {% endfor %}
        count(*) filter (
            where window_days = {{ long }} and is_code_tracked
        ) as code_tracked_leads

    from leads

    group by 1, 2

),

lead_totals as (

    select
        recipient_members.campaign_id,
        recipient_members.dimension,
        recipient_members.member,
        recipient_members.member_channel,
        {% for window in windows %}
            sum(recipient_leads.leads_{{ window }}d) as leads_{{ window }}d,
            sum(recipient_leads.qualified_leads_{{ window }}d)
                as qualified_leads_{{ window }}d,
            count(*) filter (
                where recipient_leads.leads_{{ window }}d > 0
            ) as recipients_with_lead_{{ window }}d,
            coalesce(sum(recipient_leads.conversions_{{ window }}d), 0)
                as conversions_{{ window }}d,
            count(*) filter (
                where recipient_leads.converting_leads_{{ window }}d > 0
            ) as recipients_with_conversion_{{ window }}d,
            coalesce(sum(recipient_leads.revenue_{{ window }}d), 0)
                as revenue_{{ window }}d,
            coalesce(sum(recipient_leads.pipeline_{{ window }}d), 0)
                as pipeline_{{ window }}d,
        {% endfor %}
        sum(recipient_leads.code_tracked_leads) as code_tracked_leads

    -- a recipient has one row in each of its groups: counting rows counts
    -- recipients
    from {{ ref('int_recipient_members') }} as recipient_members

    inner join recipient_leads
        on
            recipient_members.recipient_id = recipient_leads.recipient_id
            and recipient_members.campaign_id = recipient_leads.campaign_id

    group by 1, 2, 3, 4

),

response_members as (

    -- a response without a recipient counts for its campaign only
    select
        recipient_members.campaign_id,
        recipient_members.dimension,
        recipient_members.member,
        recipient_members.member_channel,
        responses.response_id,
        responses.is_promoter,
        responses.is_detractor

    from responses

    inner join {{ ref('int_recipient_members') }} as recipient_members
        on
            responses.recipient_id = recipient_members.recipient_id
            and responses.campaign_id = recipient_members.campaign_id

    union all

    select
        campaign_id,
        'campaign' as dimension,
        campaign_id as member,
        null as member_channel,
        response_id,
        is_promoter,
        is_detractor

    from responses

    where recipient_id is null

),

response_totals as (

    select
        campaign_id,
        dimension,
        member,
        member_channel,
        count(*) as respondents,
        count(*) filter (where is_promoter) as promoters,
        count(*) filter (where is_detractor) as detractors

    from response_members

    group by 1, 2, 3, 4

),

totals as (

    select
        groups.campaign_id,
        groups.dimension,
        groups.member,
        groups.member_channel,
        coalesce(shipment_totals.units_shipped, 0) as units_shipped,
        coalesce(shipment_totals.units_delivered, 0) as units_delivered,
        coalesce(recipient_totals.delivered_recipients, 0)
            as delivered_recipients,
        coalesce(shipment_totals.item_cost, 0) as item_cost,
        coalesce(shipment_totals.shipment_logistics_cost, 0)
        + coalesce(return_totals.return_handling_cost, 0) as logistics_cost,
        coalesce(return_totals.returned_units, 0) as returned_units,
        coalesce(return_totals.defective_units, 0) as defective_units,
        coalesce(code_totals.delivered_codes, 0) as delivered_codes,
        coalesce(code_totals.activated_codes, 0) as activated_codes,
        coalesce(code_totals.delivered_qr_codes, 0) as delivered_qr_codes,
        coalesce(code_totals.scanned_qr_codes, 0) as scanned_qr_codes,
        coalesce(code_totals.redeemed_codes, 0) as redeemed_codes,
        code_totals.median_days_to_activation,
        {% for window in windows %}
            coalesce(lead_totals.leads_{{ window }}d, 0) as leads_{{ window }}d,
            coalesce(lead_totals.qualified_leads_{{ window }}d, 0)
                as qualified_leads_{{ window }}d,
            coalesce(lead_totals.recipients_with_lead_{{ window }}d, 0)
                as recipients_with_lead_{{ window }}d,
            coalesce(lead_totals.conversions_{{ window }}d, 0)
                as conversions_{{ window }}d,
            coalesce(lead_totals.recipients_with_conversion_{{ window }}d, 0)
                as recipients_with_conversion_{{ window }}d,
            coalesce(lead_totals.revenue_{{ window }}d, 0)
                as revenue_{{ window }}d,
            coalesce(lead_totals.pipeline_{{ window }}d, 0)
                as pipeline_{{ window }}d,
        {% endfor %}
        coalesce(lead_totals.code_tracked_leads, 0) as code_tracked_leads,
        coalesce(response_totals.respondents, 0) as respondents,
        coalesce(response_totals.promoters, 0) as promoters,
        coalesce(response_totals.detractors, 0) as detractors

    from groups

    {% for part in ['shipment_totals', 'return_totals', 'recipient_totals',
        'code_totals', 'lead_totals', 'response_totals'] %}
        left join {{ part }}
            on
                groups.campaign_id = {{ part }}.campaign_id
                and groups.dimension = {{ part }}.dimension
                and groups.member = {{ part }}.member
                and coalesce(groups.member_channel, '')
                = coalesce({{ part }}.member_channel, '')
    {% endfor %}

),

figures as (

    select
        totals.campaign_id,
        totals.dimension,
        totals.member,
        totals.member_channel,

        -- distribution
        cast(totals.units_shipped as bigint) as units_shipped,
        cast(totals.units_delivered as bigint) as units_delivered,
        cast(totals.delivered_recipients as bigint) as delivered_recipients,
        {{ safe_ratio('totals.units_delivered', 'totals.units_shipped') }}
            as delivery_rate,

        -- activation
        case
            when present.has_codes then
                cast(totals.delivered_codes as bigint)
        end as delivered_codes,
        case
            when present.has_codes and present.has_code_events then
                {{ safe_ratio(
                    'totals.activated_codes', 'totals.delivered_codes') }}
        end as activation_rate,
        case
            when present.has_codes and present.has_code_events then
                {{ safe_ratio(
                    'totals.scanned_qr_codes', 'totals.delivered_qr_codes') }}
        end as qr_scan_rate,
        case
            when present.has_codes and present.has_code_events then
                {{ safe_ratio(
                    'totals.redeemed_codes', 'totals.delivered_codes') }}
        end as redemption_rate,
        case
            when present.has_codes and present.has_code_events then
                cast(totals.median_days_to_activation as {{ double_type() }})
        end as median_days_to_activation,

        -- leads and conversions
        {% for window in windows %}
            case
                when present.has_leads then
                    cast(totals.leads_{{ window }}d as bigint)
            end as leads_{{ window }}d,
            case
                when present.has_leads then
                    cast(totals.qualified_leads_{{ window }}d as bigint)
            end as qualified_leads_{{ window }}d,
            case
                when present.has_leads then
            {{ safe_ratio(
                'totals.recipients_with_lead_' ~ window ~ 'd',
                'totals.delivered_recipients') }}
            end as lead_rate_{{ window }}d,
            case
                when present.has_leads and present.has_opportunities then
                    cast(totals.conversions_{{ window }}d as bigint)
            end as conversions_{{ window }}d,
            case
                when present.has_leads and present.has_opportunities then
            {{ safe_ratio(
                'totals.recipients_with_conversion_' ~ window ~ 'd',
                'totals.delivered_recipients') }}
            end as conversion_rate_{{ window }}d,
            case
                when present.has_leads and present.has_opportunities then
                    cast(totals.revenue_{{ window }}d as {{ decimal_type() }})
            end as revenue_{{ window }}d,
            case
                when present.has_leads and present.has_opportunities then
                    cast(totals.pipeline_{{ window }}d as {{ decimal_type() }})
            end as pipeline_{{ window }}d,
        {% endfor %}
        case
            when present.has_leads and present.has_opportunities then
                cast(
                    totals.conversions_{{ long }}d
                    - totals.conversions_{{ windows | min }}d as bigint
                )
        end as late_conversions,
        case
            when
                present.has_leads and present.has_codes
                and present.has_code_events
                then {{ safe_ratio(
                    'totals.code_tracked_leads', 'totals.leads_' ~ long ~ 'd')
                }}
        end as tracking_share,

        -- costs
        cast(totals.item_cost as {{ decimal_type() }}) as item_cost,
        cast(totals.logistics_cost as {{ decimal_type() }}) as logistics_cost,
        cast(totals.item_cost + totals.logistics_cost as {{ decimal_type() }})
            as total_cost,
        {{ safe_ratio('totals.logistics_cost', 'totals.units_shipped') }}
            as logistics_cost_per_unit,
        {{ safe_ratio(
            'totals.item_cost + totals.logistics_cost',
            'totals.delivered_recipients') }} as cost_per_delivered_recipient,

        -- feedback and quality
        case
            when present.has_survey_responses then
                cast(totals.respondents as bigint)
        end as respondents,
        case
            when present.has_survey_responses then
                100 * {{ safe_ratio(
                    'totals.promoters - totals.detractors',
                    'totals.respondents') }}
        end as nps,
        case
            when present.has_survey_responses then
                {{ safe_ratio(
                    'totals.respondents', 'totals.delivered_recipients') }}
        end as response_rate,
        case
            when present.has_returns then
                {{ safe_ratio(
                    'totals.returned_units', 'totals.units_delivered') }}
        end as return_rate,
        case
            when present.has_returns then
                {{ safe_ratio(
                    'totals.defective_units', 'totals.units_delivered') }}
        end as defect_rate,

        -- the counts behind the rates, for the comparisons that test them;
        -- null like their rates when the input table is absent
        case
            when present.has_codes and present.has_code_events then
                cast(totals.activated_codes as bigint)
        end as activated_codes,
        {% for window in windows %}
            case
                when present.has_leads then
                    cast(totals.recipients_with_lead_{{ window }}d as bigint)
            end as recipients_with_lead_{{ window }}d,
            case
                when present.has_leads and present.has_opportunities then
                    cast(
                        totals.recipients_with_conversion_{{ window }}d
                        as bigint
                    )
            end as recipients_with_conversion_{{ window }}d,
        {% endfor %}
        case
            when
                present.has_leads and present.has_codes
                and present.has_code_events
                then cast(totals.code_tracked_leads as bigint)
        end as code_tracked_leads,
        case
            when present.has_survey_responses then
                cast(totals.promoters as bigint)
        end as promoters,
        case
            when present.has_survey_responses then
                cast(totals.detractors as bigint)
        end as detractors,
        case
            when present.has_returns then
                cast(totals.returned_units as bigint)
        end as returned_units,
        case
            when present.has_returns then
                cast(totals.defective_units as bigint)
        end as defective_units

    from totals

    cross join present

),

final as (

    select
        *,
        {% for window in windows %}
            {{ safe_ratio('total_cost', 'leads_' ~ window ~ 'd') }}
                as cpl_{{ window }}d,
            {{ safe_ratio('total_cost', 'qualified_leads_' ~ window ~ 'd') }}
                as qualified_cpl_{{ window }}d,
        {{ safe_ratio(
            'revenue_' ~ window ~ 'd - total_cost', 'total_cost') }}
                as roi_{{ window }}d{% if not loop.last %},{% endif %}
        {% endfor %}

    from figures

)

select * from final
