{#-
    The breakdowns of figures summed over shipments or their codes
    (metrics.md, Breakdowns): a dimension's name and the columns whose values
    name its member, the SKU and the channel for a SKU-channel pair; the
    campaign itself is the breakdown with no column. A shipment whose member
    column is null is in no group of that dimension: the relation grouped
    sets a holdout recipient's segment and variant to null.
-#}
{% macro shipment_breakdowns() %}
    {{ return([
        ['campaign', []],
        ['sku', ['sku']],
        ['channel', ['channel']],
        ['sku_channel', ['sku', 'channel']],
        ['positioning', ['positioning']],
        ['tier', ['tier']],
        ['segment', ['segment']],
        ['variant', ['variant']],
    ]) }}
{% endmacro %}


{#-
    `group by` of every breakdown at once: one grouping set per breakdown,
    so that the rows are read once whatever the number of breakdowns.
    SQLFluff's DuckDB and PostgreSQL dialects do not parse `grouping sets`:
    a model's line calling this macro ends with `-- noqa: PRS`.
-#}
{% macro group_by_breakdowns(breakdowns) -%}
    group by grouping sets (
        {%- for name, columns in breakdowns %}
        (campaign_id{% for column in columns %}, {{ column }}{% endfor %})
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    )
{%- endmacro %}


{#-
    The keys of a row grouped by group_by_breakdowns: campaign_id,
    dimension, member and member_channel (the channel of a SKU-channel pair,
    else null). A grouping set is told apart by which columns it groups. The
    member is null, and the row no group, when any column of its breakdown
    is null.
-#}
{% macro breakdown_keys(breakdowns) -%}
    {%- set grouped = [] -%}
    {%- for name, columns in breakdowns -%}
        {%- for column in columns if column not in grouped -%}
            {%- do grouped.append(column) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set conditions = {} -%}
    {%- for name, columns in breakdowns -%}
        {%- set tests = [] -%}
        {%- for column in grouped -%}
            {%- do tests.append(
                'grouping(' ~ column ~ ') = '
                ~ ('0' if column in columns else '1')) -%}
        {%- endfor -%}
        {%- do conditions.update({name: tests | join(' and ')}) -%}
    {%- endfor -%}
    campaign_id,
        case
            {%- for name, columns in breakdowns %}
            when {{ conditions[name] }}
                then '{{ name }}'
            {%- endfor %}
        end as dimension,
        case
            {%- for name, columns in breakdowns %}
            when {{ conditions[name] }}
                {%- for column in columns[1:] %}
                and {{ column }} is not null
                {%- endfor %}
                then {{ columns[0] if columns else 'campaign_id' }}
            {%- endfor %}
        end as member,
        case
            {%- for name, columns in breakdowns if columns | length > 1 %}
            when {{ conditions[name] }}
                then {{ columns[1] }}
            {%- endfor %}
        end as member_channel
{%- endmacro %}
