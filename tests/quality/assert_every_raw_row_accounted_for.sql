{#-
    Every raw row is kept, merged into an exact copy or set aside: the raw
    count of data_quality must equal the rows of the source itself, and its
    set-aside count the rows of set_aside_rows. Returns the tables where
    either fails.
-#}

{% set sources = [
    ('planning', 'campaigns'), ('planning', 'forecast'), ('catalog', 'skus'),
    ('catalog', 'suppliers'), ('crm', 'recipients'),
    ('fulfillment', 'shipments'), ('tracking', 'codes'),
    ('tracking', 'code_events'), ('crm', 'leads'), ('crm', 'opportunities'),
    ('quality', 'returns'), ('feedback', 'survey_responses'),
    ('governance', 'debrief_attendance'),
] %}

with

source_rows as (

    {% for source_name, table_name in sources %}
        select
            '{{ table_name }}' as table_name,
            count(*) as source_rows
        from {{ source(source_name, table_name) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

set_aside as (

    select
        table_name,
        count(*) as set_aside_rows

    from {{ ref('set_aside_rows') }}

    group by 1

),

data_quality as (

    select * from {{ ref('data_quality') }}

),

compared as (

    select
        source_rows.table_name,
        source_rows.source_rows,
        data_quality.raw_rows,
        data_quality.kept_rows,
        data_quality.merged_rows,
        data_quality.set_aside_rows,
        coalesce(set_aside.set_aside_rows, 0) as listed_set_aside_rows

    from source_rows

    left join data_quality
        on source_rows.table_name = data_quality.table_name

    left join set_aside
        on source_rows.table_name = set_aside.table_name

)

select * from compared

where
    raw_rows is null
    or source_rows <> raw_rows
    or raw_rows
    <> kept_rows + merged_rows + set_aside_rows
    or set_aside_rows <> listed_set_aside_rows
