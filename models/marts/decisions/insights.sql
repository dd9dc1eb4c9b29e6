{#-
    Insights ranked (metrics.md, Verdicts, insights and actions): the
    findings of int_insight_candidates, whose docs say how each kind's
    impact is computed, in the campaign's currency.
    Ranking, per campaign: each subject's insight of highest impact comes
    first, then the others, each group by impact (ties: kind, subject,
    segment, metric), so that the five insights a report leads with speak
    of five different subjects (a SKU retired for its defects is not also
    the fifth insight for its return rate).
    Grain: one row per campaign, kind, subject, segment and metric.
-#}

with

candidates as (

    select * from {{ ref('int_insight_candidates') }}

),

by_subject as (

    select
        *,
        row_number() over (
            partition by campaign_id, subject_dimension, subject, segment
            order by impact desc nulls last, kind asc, metric asc
        ) as subject_rank

    from candidates

),

ranked as (

    select
        *,
        row_number() over (
            partition by campaign_id
            order by
                case when subject_rank = 1 then 0 else 1 end,
                impact desc nulls last,
                kind asc,
                subject asc,
                segment asc,
                metric asc
        ) as insight_rank

    from by_subject

),

final as (

    select
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(insight_rank as bigint) as insight_rank,
        cast(kind as {{ dbt.type_string() }}) as kind,
        cast(subject_dimension as {{ dbt.type_string() }})
            as subject_dimension,
        cast(subject as {{ dbt.type_string() }}) as subject,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(metric as {{ dbt.type_string() }}) as metric,
        cast(detail as {{ dbt.type_string() }}) as detail,
        cast(value as {{ double_type() }}) as value,
        cast(baseline as {{ double_type() }}) as baseline,
        cast(baseline_kind as {{ dbt.type_string() }}) as baseline_kind,
        cast(direction as {{ dbt.type_string() }}) as direction,
        cast(n as bigint) as n,
        cast(p_value as {{ double_type() }}) as p_value,
        cast(q_value as {{ double_type() }}) as q_value,
        claims_difference,
        is_final,
        cast(impact as {{ double_type() }}) as impact,
        insight_rank <= 5 as is_top_five

    from ranked

)

select * from final
