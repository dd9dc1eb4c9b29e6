{#-
    The body of a one-row CTE saying which optional raw tables were found:
    a boolean has_<table> for each table named, from the raw-table inventory
    (`inventory`: a relation or CTE with table_name and is_present). Figures
    that need an absent table are null, never 0 (metrics.md, General rules).
-#}
{% macro tables_present(inventory, tables) %}
    select
        {%- for table in tables %}
        count(*) filter (
            where table_name = '{{ table }}' and is_present
        ) > 0 as has_{{ table }}{% if not loop.last %},{% endif %}
        {%- endfor %}

    from {{ inventory }}
{% endmacro %}
