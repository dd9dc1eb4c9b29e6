{#-
    The raw-data contract as the project reads it: the source YAML files of
    models/staging are its single written copy (column types, required
    columns, allowed words and ranges live in each column's `meta`). These
    macros read it from the graph, so they only answer at execution time.
-#}

{% macro raw_input_schema() -%}
    {{ return(target.schema ~ '_raw_input') }}
{%- endmacro %}


{#- Every contract table: [{source_name, name, is_required, key, columns}]. -#}
{% macro contract_tables() %}
    {% set tables = [] %}
    {% for node in graph.sources.values()
        if node.package_name == project_name
        and node.source_name != 'raw_input' %}
        {% set columns = [] %}
        {% for column in node.columns.values() %}
            {% do columns.append({
                'name': column.name,
                'type': column.meta.get('contract_type', 'text'),
                'is_required': column.meta.get('is_required', false),
                'allowed': column.meta.get('allowed'),
                'check': column.meta.get('check'),
            }) %}
        {% endfor %}
        {% do tables.append({
            'source_name': node.source_name,
            'name': node.name,
            'is_required': node.meta.get('is_required', false),
            'key': node.meta.get('key', []),
            'columns': columns,
        }) %}
    {% endfor %}
    {{ return(tables | sort(attribute='name')) }}
{% endmacro %}


{% macro contract_table(table_name) %}
    {% for table in contract_tables() if table.name == table_name %}
        {{ return(table) }}
    {% endfor %}
    {% do exceptions.raise_compiler_error(
        'no contract table named ' ~ table_name) %}
{% endmacro %}


{#-
    The first value check of rule 3 that a row fails, as
    '<reason>:<column>', or null. The checks are taken in the contract's
    order (a required value missing, then a value of the wrong type, then a
    word outside its list, then a number out of its range), each over the
    columns in contract order.
-#}
{% macro contract_value_breach(table_name) %}
    {% if not execute %}
        {{ return('cast(null as ' ~ dbt.type_string() ~ ')') }}
    {% endif %}
    {% set columns = contract_table(table_name).columns %}
    case
    {%- for column in columns if column.is_required %}
        when {{ column.name }} is null then 'missing_value:{{ column.name }}'
    {%- endfor %}
    {%- for column in columns if column.type != 'text' %}
        when {{ column.name }} is not null
            and not {{ is_valid_value(column.type, column.name) }}
            then 'invalid_type:{{ column.name }}'
    {%- endfor %}
    {%- for column in columns if column.allowed %}
        when {{ column.name }} not in (
            {%- for word in column.allowed %}'{{ word }}'
            {%- if not loop.last %}, {% endif %}{% endfor -%}
        ) then 'not_allowed:{{ column.name }}'
    {%- endfor %}
    {%- for column in columns if column.check %}
        {%- set value = to_value(column.type, column.name) %}
        {%- if column.check == 'score_0_10' %}
        when {{ value }} not between 0 and 10
            then 'not_allowed:{{ column.name }}'
        {%- elif column.check == 'positive' %}
        when {{ value }} <= 0 then 'not_positive:{{ column.name }}'
        {%- elif column.check == 'non_negative' %}
        when {{ value }} < 0 then 'negative_amount:{{ column.name }}'
        {%- elif column.check == 'rate' %}
        when {{ value }} not between 0 and 1
            then 'rate_out_of_range:{{ column.name }}'
        {%- endif %}
    {%- endfor %}
    end
{% endmacro %}
