{#-
    The source YAML files (what dbt docs show) and raw_data_contract() (what
    staging applies) must name the same tables and columns, in the same
    order. Returns one row per difference.
-#}

{% set differences = [] %}
{% if execute %}
    {% set declared = {} %}
    {% for node in graph.sources.values()
        if node.package_name == project_name
        and node.source_name != 'raw_input' %}
        {% do declared.update(
            {node.name: node.columns.keys() | list}) %}
    {% endfor %}
    {% for table in raw_data_contract() %}
        {% set expected = table.columns | map(attribute='name') | list %}
        {% if declared.get(table.name) != expected %}
            {% do differences.append(table.name) %}
        {% endif %}
    {% endfor %}
    {% for name in declared if name not in
        raw_data_contract() | map(attribute='name') | list %}
        {% do differences.append(name) %}
    {% endfor %}
{% endif %}

select table_name

from (
    select cast(null as {{ dbt.type_string() }}) as table_name
    {% for name in differences %}
    union all
    select '{{ name }}'
    {% endfor %}
) as differences

where table_name is not null
