{#-
    SKU verdicts (metrics.md, Verdicts): per campaign and SKU with live
    shipped units, `retire`, `focus` or `keep`, from its CPL (longest
    attribution window), activation rate, defect rate, NPS and delivered
    units against the campaign's, by the rules of the seed
    sku_verdict_thresholds. A rule holds when every one of its rows holds;
    the verdict is that of the first rule that holds (lowest priority, then
    rule name), `keep` when none does. A null figure (absent table, nothing
    to divide by) never holds, so it never triggers a rule. `because` states
    the figures of every rule that holds with the verdict given.
    Grain: one row per campaign and SKU with live shipped units.
-#}

{% set window = var('attribution_windows') | max %}
{% set metrics = [
    'cpl', 'activation_rate', 'defect_rate', 'nps', 'units_delivered',
] %}

{#-
    `value` as text by `metric`: rates in percent with one decimal, CPL
    with two, NPS with one, units whole; n/a when null. A template filled in
    with replace() (a macro defined here is not seen by unit tests).
-#}
{% set as_text -%}
    coalesce(
        case metric
            when 'cpl'
                then cast(round(cast(VALUE as {{ decimal_type() }}), 2)
                    as {{ dbt.type_string() }})
            when 'units_delivered'
                then cast(round(cast(VALUE as {{ decimal_type() }}), 0)
                    as {{ dbt.type_string() }})
            when 'nps'
                then cast(round(cast(VALUE as {{ decimal_type() }}), 1)
                    as {{ dbt.type_string() }})
            else cast(round(cast(100 * VALUE as {{ decimal_type() }}), 1)
                as {{ dbt.type_string() }}) || '%'
        end,
        'n/a'
    )
{%- endset %}

{#- `figure` against BOUND by the comparison of a threshold row -#}
{% set compares -%}
    case comparison
        when 'at_least' then figure >= BOUND
        when 'at_most' then figure <= BOUND
        when 'above' then figure > BOUND
        when 'below' then figure < BOUND
    end
{%- endset %}

with

skus as (

    select
        campaign_id,
        sku,
        units_shipped,
        units_delivered,
        cpl_{{ window }}d as cpl,
        activation_rate,
        defect_rate,
        nps
    from {{ ref('kpis_by_sku') }}

    where units_shipped > 0

),

campaigns as (

    select
        campaign_id,
        units_delivered as campaign_units_delivered,
        cpl_{{ window }}d as campaign_cpl,
        activation_rate as campaign_activation_rate,
        defect_rate as campaign_defect_rate,
        nps as campaign_nps
    from {{ ref('campaign_kpis') }}

),

thresholds as (

    select
        rule,
        verdict,
        priority,
        metric,
        comparison,
        campaign_multiple,
        absolute_threshold
    from {{ ref('sku_verdict_thresholds') }}

),

figures as (

    select
        skus.campaign_id,
        skus.sku,
        cast(skus.units_delivered as bigint) as units_delivered,
        cast(skus.cpl as {{ double_type() }}) as cpl,
        cast(skus.activation_rate as {{ double_type() }}) as activation_rate,
        cast(skus.defect_rate as {{ double_type() }}) as defect_rate,
        cast(skus.nps as {{ double_type() }}) as nps,
        cast(campaigns.campaign_units_delivered as bigint)
            as campaign_units_delivered,
        cast(campaigns.campaign_cpl as {{ double_type() }}) as campaign_cpl,
        cast(campaigns.campaign_activation_rate as {{ double_type() }})
            as campaign_activation_rate,
        cast(campaigns.campaign_defect_rate as {{ double_type() }})
            as campaign_defect_rate,
        cast(campaigns.campaign_nps as {{ double_type() }}) as campaign_nps

    from skus

    inner join campaigns
        on skus.campaign_id = campaigns.campaign_id

),

long_figures as (

    -- one row per SKU and figure, with the campaign's
    {% for metric in metrics %}
        select
            campaign_id,
            sku,
            {{ loop.index }} as metric_order,
            '{{ metric }}' as metric,
            cast({{ metric }} as {{ double_type() }}) as figure,
            cast(campaign_{{ metric }} as {{ double_type() }})
                as campaign_figure
        from figures
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

as_texts as (

    select
        *,
        {{ as_text | replace('VALUE', 'figure') }} as figure_text,
        {{ as_text | replace('VALUE', 'campaign_figure') }} as campaign_text,
        case metric
            when 'cpl' then 'CPL'
            when 'nps' then 'NPS'
            else replace(metric, '_', ' ')
        end as figure_label

    from long_figures

),

conditions as (

    -- every row of every rule, with the SKU's and the campaign's figure
    select
        as_texts.*,
        thresholds.rule,
        thresholds.verdict,
        thresholds.priority,
        thresholds.comparison,
        thresholds.campaign_multiple,
        thresholds.absolute_threshold

    from as_texts

    inner join thresholds
        on as_texts.metric = thresholds.metric

),

tested as (

    -- a row holds when its figure meets each bound it sets; a null figure,
    -- a null campaign figure or a row without a bound never holds
    select
        *,
        coalesce(
            figure is not null
            and (
                campaign_multiple is not null
                or absolute_threshold is not null
            )
            and (
                campaign_multiple is null
                or {{ compares
                    | replace('BOUND', '(campaign_multiple * campaign_figure)')
                }}
            )
            and (
                absolute_threshold is null
                or {{ compares | replace('BOUND', 'absolute_threshold') }}
            ),
            false
        ) as holds

    from conditions

),

phrased as (

    -- "defect rate 11.9% against 1.7% for the campaign (at least 2 x the
    -- campaign's and at least 5.0%)"
    select
        *,
        figure_label || ' ' || figure_text
        || case
            when campaign_multiple is not null
                then ' against ' || campaign_text || ' for the campaign'
            else ''
        end
        || ' (' || replace(comparison, '_', ' ') || ' '
        || case
            when campaign_multiple is not null
                then
                    {{ rtrim_characters(rtrim_characters(
                        'cast(round(cast(campaign_multiple as '
                        ~ decimal_type() ~ '), 2) as ' ~ dbt.type_string()
                        ~ ')', '0'), '.') }}
                    || ' x the campaign''s'
            else ''
        end
        || case
            when
                campaign_multiple is not null
                and absolute_threshold is not null
                then ' and ' || replace(comparison, '_', ' ') || ' '
            else ''
        end
        || case
            when absolute_threshold is not null
                then {{ as_text | replace('VALUE', 'absolute_threshold') }}
            else ''
        end
        || ')' as phrase

    from tested

),

rules as (

    select
        campaign_id,
        sku,
        rule,
        min(verdict) as verdict,
        min(priority) as priority,
        count(*) filter (where not holds) = 0 as holds,
        replace(rule, '_', ' ') || ': '
        || {{ dbt.listagg('phrase', "', '", 'order by metric_order') }}
            as because

    from phrased

    group by 1, 2, 3

),

ranked as (

    select
        *,
        row_number() over (
            partition by campaign_id, sku
            order by priority, rule
        ) as rule_rank

    from rules

    where holds

),

first_rule as (

    select * from ranked

    where rule_rank = 1

),

decided as (

    -- the first rule gives the verdict; every rule that holds with the same
    -- verdict states its figures (a SKU retired for defects and for its CPL)
    select
        first_rule.campaign_id,
        first_rule.sku,
        first_rule.verdict,
        first_rule.rule,
        {{ dbt.listagg(
            'ranked.because', "'; '", 'order by ranked.priority, ranked.rule'
        ) }} as because

    from first_rule

    inner join ranked
        on
            first_rule.campaign_id = ranked.campaign_id
            and first_rule.sku = ranked.sku
            and first_rule.verdict = ranked.verdict

    group by 1, 2, 3, 4

),

no_rule as (

    -- the sentence of a keep that no rule gave: all four figures
    select
        campaign_id,
        sku,
        'no rule applies: '
        || {{ dbt.listagg(
            "figure_label || ' ' || figure_text || ' against '"
            ~ " || campaign_text",
            "', '",
            'order by metric_order'
        ) }}
        || ' for the campaign' as because

    from as_texts

    where metric <> 'units_delivered'

    group by 1, 2

),

final as (

    select
        cast(figures.campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(figures.sku as {{ dbt.type_string() }}) as sku,
        cast(coalesce(decided.verdict, 'keep') as {{ dbt.type_string() }})
            as verdict,
        cast(decided.rule as {{ dbt.type_string() }}) as decided_by,
        cast(
            coalesce(decided.because, no_rule.because)
            as {{ dbt.type_string() }}
        ) as because,
        figures.cpl,
        figures.campaign_cpl,
        figures.activation_rate,
        figures.campaign_activation_rate,
        figures.defect_rate,
        figures.campaign_defect_rate,
        figures.nps,
        figures.campaign_nps,
        figures.units_delivered

    from figures

    inner join no_rule
        on
            figures.campaign_id = no_rule.campaign_id
            and figures.sku = no_rule.sku

    left join decided
        on
            figures.campaign_id = decided.campaign_id
            and figures.sku = decided.sku

)

select * from final
