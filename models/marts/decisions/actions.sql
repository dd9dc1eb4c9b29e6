{#-
    The action playbook (metrics.md, Verdicts, insights and actions): what
    to do about each insight that calls for it, with the team that owns it
    and its deadline from the seed action_playbook (which users edit), and
    the insight it comes from.
    Which insight calls for which action is fixed here: retire_sku and
    focus_sku (a SKU verdict), retarget_segment (a segment x SKU finding),
    adopt_variant (an A/B winner), review_targeting (no proven holdout
    lift), renegotiate_delivery_sla (on-time or lead-time breach),
    renegotiate_quality_sla (defect breach), raise_quality_issue (a SKU's
    defect or return rate above the rest), revise_forecast (a forecast
    miss), review_budget (a budget overrun), add_unique_codes (a tracking
    gap), schedule_followup (conversions still immature); a premium SKU
    retired for its CPL also calls for reserve_premium_for_qualified (keep
    premium items for recipients already qualified). A proven lift,
    a SKU's NPS and late conversions inform and call for no action.
    One action per campaign, action kind and subject: when two insights
    call for the same (a supplier late and slow), the higher-ranked one is
    its source. Deadline: the seed's days after the debrief (the latest
    meeting_date of debrief_attendance, else the post-mortem due date), or
    after the follow-up due date. Priority: 1 for the action of the
    highest-ranked insight, and so on. A kind missing from the seed has no
    owner nor deadline: the checklist says so.
    Grain: one row per campaign and action (campaign_id, priority).
-#}

with

insights as (

    select * from {{ ref('insights') }}

),

playbook as (

    select * from {{ ref('action_playbook') }}

),

called_for as (

    select
        campaign_id,
        insight_rank,
        kind as insight_kind,
        subject_dimension,
        subject,
        segment,
        direction,
        detail,
        case
            when kind = 'sku_verdict' and detail = 'retire' then 'retire_sku'
            when kind = 'sku_verdict' and detail = 'focus' then 'focus_sku'
            when kind = 'segment_sku' then 'retarget_segment'
            when kind = 'ab_variant' then 'adopt_variant'
            when kind = 'no_holdout_lift' then 'review_targeting'
            when kind in ('supplier_on_time', 'supplier_lead_time')
                then 'renegotiate_delivery_sla'
            when kind = 'supplier_defect' then 'renegotiate_quality_sla'
            when kind in ('sku_defect_rate', 'sku_return_rate')
                then 'raise_quality_issue'
            when kind = 'forecast_miss' then 'revise_forecast'
            when kind = 'budget_overrun' then 'review_budget'
            when kind = 'tracking_gap' then 'add_unique_codes'
            when kind = 'immature_conversions' then 'schedule_followup'
        end as action_kind

    from insights

),

premium_skus as (

    select sku

    from {{ ref('int_skus__checked') }}

    where is_kept and tier = 'premium'

),

reserved_for_qualified as (

    -- a premium SKU retired for its cost per lead also calls for keeping
    -- premium items for the recipients already qualified
    select
        insights.campaign_id,
        insights.insight_rank,
        insights.kind as insight_kind,
        insights.subject_dimension,
        insights.subject,
        insights.segment,
        insights.direction,
        insights.detail,
        'reserve_premium_for_qualified' as action_kind

    from insights

    inner join premium_skus
        on insights.subject = premium_skus.sku

    where
        insights.kind = 'sku_verdict'
        and insights.detail = 'retire'
        and insights.metric = 'cpl'

),

every_action as (

    select * from called_for

    union all

    select * from reserved_for_qualified

),

deduplicated as (

    select
        *,
        row_number() over (
            partition by campaign_id, action_kind, subject, segment
            order by insight_rank
        ) as source_rank

    from every_action

    where action_kind is not null

),

debriefs as (

    select
        campaign_id,
        max(meeting_date) as meeting_date

    from {{ ref('int_debrief_attendance__checked') }}

    where is_kept

    group by 1

),

anchors as (

    select
        clock.campaign_id,
        coalesce(debriefs.meeting_date, clock.postmortem_due) as debrief_date,
        clock.followup_due

    from {{ ref('campaign_timing') }} as clock

    left join debriefs
        on clock.campaign_id = debriefs.campaign_id

),

final as (

    select
        cast(deduplicated.campaign_id as {{ dbt.type_string() }})
            as campaign_id,
        cast(
            row_number() over (
                partition by deduplicated.campaign_id
                order by deduplicated.insight_rank, deduplicated.action_kind
            ) as bigint
        ) as priority,
        cast(deduplicated.action_kind as {{ dbt.type_string() }})
            as action_kind,
        cast(deduplicated.subject_dimension as {{ dbt.type_string() }})
            as subject_dimension,
        cast(deduplicated.subject as {{ dbt.type_string() }}) as subject,
        cast(deduplicated.segment as {{ dbt.type_string() }}) as segment,
        cast(deduplicated.direction as {{ dbt.type_string() }})
            as direction,
        cast(deduplicated.detail as {{ dbt.type_string() }}) as detail,
        cast(playbook.owner_team as {{ dbt.type_string() }}) as owner_team,
        cast(
            case playbook.deadline_from
                when 'debrief'
                    then
                        anchors.debrief_date
                        + cast(playbook.deadline_days as integer)
                when 'followup_due'
                    then
                        anchors.followup_due
                        + cast(playbook.deadline_days as integer)
            end as date
        ) as due,
        cast(deduplicated.insight_rank as bigint) as insight_rank,
        cast(deduplicated.insight_kind as {{ dbt.type_string() }})
            as insight_kind

    from deduplicated

    inner join anchors
        on deduplicated.campaign_id = anchors.campaign_id

    left join playbook
        on deduplicated.action_kind = playbook.action_kind

    where deduplicated.source_rank = 1

)

select * from final
