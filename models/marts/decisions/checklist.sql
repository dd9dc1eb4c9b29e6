{#-
    The post-mortem checklist (metrics.md, Verdicts, insights and actions):
    three items per campaign, each with whether it is done, a reason code
    and the names behind it (figures, teams, action kinds: words of the
    data, so that the report can say them in any language).
    - kpi_dashboard: every headline figure of campaign_kpis computed
      (reason figures_missing, detail the figures that are null). Whether
      every data test passed is known only once the build has run: the
      report adds it (reason not_validated).
    - multidiscipline_postmortem: all four teams (marketing, sales,
      purchasing, logistics) in debrief_attendance. Not done: reason
      no_attendance_table when the table is absent, else overdue from the
      post-mortem due date on, not_due before; detail the teams missing.
    - action_plan: every action has an owner team and a deadline (reason
      actions_without_owner, detail their kinds; no_action_needed when no
      insight calls for one).
    Grain: one row per campaign and item.
-#}

{%- set figures = kpi_columns() %}
{%- set teams = ['marketing', 'sales', 'purchasing', 'logistics'] %}

with

kpis as (

    select * from {{ ref('campaign_kpis') }}

),

clock as (

    select * from {{ ref('campaign_timing') }}

),

inventory as (

    select
        table_name,
        is_present

    from {{ ref('stg_raw_input__raw_table_inventory') }}

),

present as (

    {{ tables_present('inventory', ['debrief_attendance']) }}

),

attendance as (

    select distinct
        campaign_id,
        team

    from {{ ref('int_debrief_attendance__checked') }}

    where is_kept

),

actions as (

    select * from {{ ref('actions') }}

),

missing_figures as (

    -- the null headline figures, by name, in report-json.md's order
    select
        campaign_id,
        0
        {% for figure in figures %}
            + case when {{ figure }} is null then 1 else 0 end
        {% endfor %} as missing_count,
        ''
        {% for figure in figures %}
            || case when {{ figure }} is null then ' {{ figure }}' else '' end
        {% endfor %} as missing_list

    from kpis

),

teams_present as (

    select
        clock.campaign_id,
        clock.as_of >= clock.postmortem_due as is_due,
        {% for team in teams %}
            count(*) filter (where attendance.team = '{{ team }}') > 0
                as has_{{ team }}{% if not loop.last %},{% endif %}
        {% endfor %}

    from clock

    left join attendance
        on clock.campaign_id = attendance.campaign_id

    group by 1, 2

),

teams_missing as (

    select
        campaign_id,
        is_due,
        0
        {% for team in teams %}
            + case when has_{{ team }} then 0 else 1 end
        {% endfor %} as missing_count,
        ''
        {% for team in teams %}
            || case when has_{{ team }} then '' else ' {{ team }}' end
        {% endfor %} as missing_list

    from teams_present

),

unowned_kinds as (

    -- the kinds the playbook gives no owner or no deadline, each once
    select distinct
        campaign_id,
        action_kind

    from actions

    where owner_team is null or due is null

),

unowned_lists as (

    select
        campaign_id,
        {{ dbt.listagg('action_kind', "' '", 'order by action_kind') }}
            as unowned_list

    from unowned_kinds

    group by 1

),

action_counts as (

    select
        clock.campaign_id,
        count(actions.priority) as action_count,
        count(actions.priority) filter (
            where actions.owner_team is null or actions.due is null
        ) as unowned_count

    from clock

    left join actions
        on clock.campaign_id = actions.campaign_id

    group by 1

),

unowned_actions as (

    select
        action_counts.campaign_id,
        action_counts.action_count,
        action_counts.unowned_count,
        unowned_lists.unowned_list

    from action_counts

    left join unowned_lists
        on action_counts.campaign_id = unowned_lists.campaign_id

),

items as (

    select
        campaign_id,
        1 as item_order,
        'kpi_dashboard' as item,
        missing_count = 0 as done,
        case
            when missing_count = 0 then 'complete'
            else 'figures_missing'
        end as reason,
        trim(missing_list) as detail
    from missing_figures

    union all

    select
        teams_missing.campaign_id,
        2 as item_order,
        'multidiscipline_postmortem' as item,
        present.has_debrief_attendance and teams_missing.missing_count = 0
            as done,
        case
            when not present.has_debrief_attendance
                then 'no_attendance_table'
            when teams_missing.missing_count = 0 then 'all_teams_attended'
            when teams_missing.is_due then 'overdue'
            else 'not_due'
        end as reason,
        trim(teams_missing.missing_list) as detail
    from teams_missing
    cross join present

    union all

    select
        campaign_id,
        3 as item_order,
        'action_plan' as item,
        unowned_count = 0 as done,
        case
            when action_count = 0 then 'no_action_needed'
            when unowned_count = 0 then 'owned_and_dated'
            else 'actions_without_owner'
        end as reason,
        coalesce(unowned_list, '') as detail
    from unowned_actions

),

final as (

    select
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,
        cast(item_order as bigint) as item_order,
        cast(item as {{ dbt.type_string() }}) as item,
        done,
        cast(reason as {{ dbt.type_string() }}) as reason,
        cast(nullif(detail, '') as {{ dbt.type_string() }}) as detail

    from items

)

select * from final
