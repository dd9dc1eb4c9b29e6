{#-
    Every headline figure of metrics.md, computed once for every group it is
    broken down by: the campaign itself, and each SKU, channel, SKU-channel
    pair, SKU positioning and tier, segment and variant of it. campaign_kpis
    and the breakdown marts select from here, so a definition cannot differ
    between them.
    Grain: one row per campaign, dimension, member and member_channel
    (the channel of a SKU-channel pair, else null).

    Figures whose optional input table is absent are null, never 0 (see
    metrics.md, General rules); so is every ratio with a zero denominator.
    Incrementality, the budget variance and the forecast error exist for the
    campaign as a whole only: they are added in campaign_kpis.

    Two ways into the groups. A shipment, with its code and returns, is in
    exactly one member of each dimension: its figures are summed once per
    shipment and grouped by every breakdown in one pass (grouping sets,
    macros/metrics/breakdowns.sql). A recipient may be in several SKUs or
    channels: the figures that count recipients go through
    int_recipient_members, a row per recipient and group (with whether the
    recipient is delivered), read once, joined to each recipient's leads and
    responses counted first per recipient.
-#}

{% set windows = var('attribution_windows') %}
{% set long = windows | max %}
{% set breakdowns = shipment_breakdowns() %}

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

recipient_members as (

    select * from {{ ref('int_recipient_members') }}

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

shipment_returns as (

    select
        shipment_id,
        sum(handling_cost) as return_handling_cost,
        sum(quantity) as returned_units,
        sum(quantity) filter (where reason = 'defect') as defective_units

    from returns

    group by 1

),

shipment_figures as (

    -- a shipment with the member columns of every breakdown (a holdout
    -- recipient has no segment or variant group) and its figures
    select
        shipments.shipment_id,
        shipments.campaign_id,
        shipments.sku,
        shipments.channel,
        shipments.positioning,
        shipments.tier,
        case
            when not recipients.is_holdout then recipients.segment
        end as segment,
        case
            when not recipients.is_holdout then recipients.variant
        end as variant,
        shipments.units_shipped,
        shipments.units_delivered,
        shipments.item_cost,
        shipments.logistics_cost,
        shipment_returns.return_handling_cost,
        shipment_returns.returned_units,
        shipment_returns.defective_units

    from shipments

    inner join recipients
        on shipments.recipient_id = recipients.recipient_id

    left join shipment_returns
        on shipments.shipment_id = shipment_returns.shipment_id

),

shipment_totals as (

    select
        {{ breakdown_keys(breakdowns) }},
        sum(units_shipped) as units_shipped,
        sum(units_delivered) as units_delivered,
        sum(item_cost) as item_cost,
        sum(logistics_cost) as shipment_logistics_cost,
        sum(return_handling_cost) as return_handling_cost,
        sum(returned_units) as returned_units,
        sum(defective_units) as defective_units

    from shipment_figures

    {{ group_by_breakdowns(breakdowns) }}  -- noqa: PRS

),

code_figures as (

    select
        shipment_figures.campaign_id,
        shipment_figures.sku,
        shipment_figures.channel,
        shipment_figures.positioning,
        shipment_figures.tier,
        shipment_figures.segment,
        shipment_figures.variant,
        codes.code_type,
        codes.is_delivered_code,
        codes.is_activated,
        codes.has_qualifying_scan,
        codes.has_qualifying_redeem,
        codes.days_to_activation

    from codes

    inner join shipment_figures
        on codes.shipment_id = shipment_figures.shipment_id

),

code_totals as (

    select
        {{ breakdown_keys(breakdowns) }},
        count(*) filter (where is_delivered_code) as delivered_codes,
        count(*) filter (where is_activated) as activated_codes,
        count(*) filter (
            where is_delivered_code and code_type = 'qr'
        ) as delivered_qr_codes,
        count(*) filter (
            where is_delivered_code and code_type = 'qr'
            and has_qualifying_scan
        ) as scanned_qr_codes,
        count(*) filter (
            where is_delivered_code and has_qualifying_redeem
        ) as redeemed_codes,
        {#- days_to_activation is null for codes not activated -#}
        percentile_cont(0.5) within group (
            order by days_to_activation
        ) as median_days_to_activation

    from code_figures

    {{ group_by_breakdowns(breakdowns) }}  -- noqa: PRS

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

recipient_responses as (

    select
        campaign_id,
        recipient_id,
        count(*) as respondents,
        count(*) filter (where is_promoter) as promoters,
        count(*) filter (where is_detractor) as detractors

    from responses

    where recipient_id is not null

    group by 1, 2

),

recipient_totals as (

    -- a recipient has one row in each of its groups: counting rows counts
    -- recipients
    select
        recipient_members.campaign_id,
        recipient_members.dimension,
        recipient_members.member,
        recipient_members.member_channel,
        count(*) filter (
            where recipient_members.is_delivered_recipient
        ) as delivered_recipients,
        {% for window in windows %}
            sum(recipient_leads.leads_{{ window }}d) as leads_{{ window }}d,
            sum(recipient_leads.qualified_leads_{{ window }}d)
                as qualified_leads_{{ window }}d,
            count(*) filter (
                where recipient_leads.leads_{{ window }}d > 0
            ) as recipients_with_lead_{{ window }}d,
            sum(recipient_leads.conversions_{{ window }}d)
                as conversions_{{ window }}d,
            count(*) filter (
                where recipient_leads.converting_leads_{{ window }}d > 0
            ) as recipients_with_conversion_{{ window }}d,
            sum(recipient_leads.revenue_{{ window }}d)
                as revenue_{{ window }}d,
            sum(recipient_leads.pipeline_{{ window }}d)
                as pipeline_{{ window }}d,
        {% endfor %}
        sum(recipient_leads.code_tracked_leads) as code_tracked_leads,
        sum(recipient_responses.respondents) as respondents,
        sum(recipient_responses.promoters) as promoters,
        sum(recipient_responses.detractors) as detractors

    from recipient_members

    left join recipient_leads
        on
            recipient_members.recipient_id = recipient_leads.recipient_id
            and recipient_members.campaign_id = recipient_leads.campaign_id

    left join recipient_responses
        on
            recipient_members.recipient_id = recipient_responses.recipient_id
            and recipient_members.campaign_id
            = recipient_responses.campaign_id

    group by 1, 2, 3, 4

),

anonymous_responses as (

    -- a response without a recipient counts for its campaign only
    select
        campaign_id,
        'campaign' as dimension,
        campaign_id as member,
        cast(null as {{ dbt.type_string() }}) as member_channel,
        count(*) as respondents,
        count(*) filter (where is_promoter) as promoters,
        count(*) filter (where is_detractor) as detractors

    from responses

    where recipient_id is null

    group by 1

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

    select
        campaign_id,
        dimension,
        member,
        member_channel
    from shipment_totals
    where member is not null

    union

    select
        campaign_id,
        dimension,
        member,
        member_channel
    from recipient_totals

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
        + coalesce(shipment_totals.return_handling_cost, 0)
            as logistics_cost,
        coalesce(shipment_totals.returned_units, 0) as returned_units,
        coalesce(shipment_totals.defective_units, 0) as defective_units,
        coalesce(code_totals.delivered_codes, 0) as delivered_codes,
        coalesce(code_totals.activated_codes, 0) as activated_codes,
        coalesce(code_totals.delivered_qr_codes, 0) as delivered_qr_codes,
        coalesce(code_totals.scanned_qr_codes, 0) as scanned_qr_codes,
        coalesce(code_totals.redeemed_codes, 0) as redeemed_codes,
        code_totals.median_days_to_activation,
        {% for window in windows %}
            coalesce(recipient_totals.leads_{{ window }}d, 0)
                as leads_{{ window }}d,
            coalesce(recipient_totals.qualified_leads_{{ window }}d, 0)
                as qualified_leads_{{ window }}d,
            coalesce(recipient_totals.recipients_with_lead_{{ window }}d, 0)
                as recipients_with_lead_{{ window }}d,
            coalesce(recipient_totals.conversions_{{ window }}d, 0)
                as conversions_{{ window }}d,
            coalesce(
                recipient_totals.recipients_with_conversion_{{ window }}d, 0
            ) as recipients_with_conversion_{{ window }}d,
            coalesce(recipient_totals.revenue_{{ window }}d, 0)
                as revenue_{{ window }}d,
            coalesce(recipient_totals.pipeline_{{ window }}d, 0)
                as pipeline_{{ window }}d,
        {% endfor %}
        coalesce(recipient_totals.code_tracked_leads, 0)
            as code_tracked_leads,
        {% for count in ['respondents', 'promoters', 'detractors'] %}
            coalesce(recipient_totals.{{ count }}, 0)
            + coalesce(anonymous_responses.{{ count }}, 0) as {{ count }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}

    from groups

    {% for part in ['shipment_totals', 'code_totals', 'recipient_totals',
        'anonymous_responses'] %}
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
