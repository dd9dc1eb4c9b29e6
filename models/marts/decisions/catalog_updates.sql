{#-
    Catalog updates: per campaign and SKU with live shipped units, retire,
    focus or keep for the next campaign, with the figures that decided it.
    `rule_verdict` is the verdict of the seed's rules (sku_verdicts);
    `update` follows it only when the figure it was decided by differs
    significantly from the rest of the campaign (the insight sku_verdict
    exists), and is keep otherwise, with reason not_significant: a SKU is
    never retired or pushed on a difference chance could explain.
    Grain: one row per campaign and SKU with live shipped units.
-#}

with

verdicts as (

    select * from {{ ref('sku_verdicts') }}

),

supported as (

    select
        campaign_id,
        subject as sku,
        metric,
        p_value,
        q_value,
        insight_rank

    from {{ ref('insights') }}

    where kind = 'sku_verdict'

),

skus as (

    select
        sku,
        sku_name,
        category,
        positioning,
        tier,
        is_active

    from {{ ref('int_skus__checked') }}

    where is_kept

),

final as (

    select
        cast(verdicts.campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(verdicts.sku as {{ dbt.type_string() }}) as sku,
        cast(skus.sku_name as {{ dbt.type_string() }}) as sku_name,
        cast(skus.category as {{ dbt.type_string() }}) as category,
        cast(skus.positioning as {{ dbt.type_string() }}) as positioning,
        cast(skus.tier as {{ dbt.type_string() }}) as tier,
        skus.is_active,
        cast(
            case
                when supported.sku is not null then verdicts.verdict
                else 'keep'
            end as {{ dbt.type_string() }}
        ) as update_to,
        cast(verdicts.verdict as {{ dbt.type_string() }}) as rule_verdict,
        cast(verdicts.decided_by as {{ dbt.type_string() }}) as decided_by,
        cast(
            case
                when supported.sku is not null then 'significant'
                when verdicts.verdict = 'keep' then 'rules'
                else 'not_significant'
            end as {{ dbt.type_string() }}
        ) as reason,
        cast(supported.metric as {{ dbt.type_string() }}) as tested_metric,
        supported.p_value,
        supported.q_value,
        cast(supported.insight_rank as bigint) as insight_rank,
        verdicts.cpl,
        verdicts.campaign_cpl,
        verdicts.activation_rate,
        verdicts.campaign_activation_rate,
        verdicts.defect_rate,
        verdicts.campaign_defect_rate,
        verdicts.nps,
        verdicts.campaign_nps,
        verdicts.units_delivered

    from verdicts

    inner join skus
        on verdicts.sku = skus.sku

    left join supported
        on
            verdicts.campaign_id = supported.campaign_id
            and verdicts.sku = supported.sku

)

select * from final
