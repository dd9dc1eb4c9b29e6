{#-
    Every raw row the row checks set aside, with the first check it failed.
    Grain: one row per set-aside row (exact-duplicate copies are merged, not
    set aside). row_key is the table's key as written (for forecast the
    campaign, SKU and channel; for debrief attendance the campaign, meeting
    date and team, never the attendee's name).
-#}

{% set checked_tables = [
    'campaigns', 'forecast', 'skus', 'suppliers', 'recipients', 'shipments',
    'codes', 'code_events', 'leads', 'opportunities', 'returns',
    'survey_responses', 'debrief_attendance',
] %}

with

set_aside as (

    {% for table_name in checked_tables %}
        select
            cast('{{ table_name }}' as {{ dbt.type_string() }}) as table_name,
            row_key,
            set_aside_reason as reason,
            set_aside_detail as detail
        from {{ ref('int_' ~ table_name ~ '__checked') }}
        where not is_kept
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from set_aside
