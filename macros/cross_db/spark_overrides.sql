{#-
    Spark implementations of dbt's cross-database macros that replace
    dbt-spark's own (dbt_project.yml puts this project first in the search
    order of the dbt namespace), where those would change a figure:

    - dateadd, datediff: dbt-spark counts hours to microseconds through
      Unix seconds, which drops the fraction of a second that the contract
      allows (a duration in microseconds came out null or whole seconds);
    - listagg: dbt-spark ignores the order, so a list's text would depend on
      how Spark happens to read the rows.
-#}

{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    timestampadd(
        {{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }}
    )
{%- endmacro %}

{#- Days and longer keep dbt-spark's calendar counting. -#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- if datepart in ['day', 'week', 'month', 'quarter', 'year'] -%}
        {{ dbt_spark.spark__datediff(first_date, second_date, datepart) }}
    {%- else -%}
        timestampdiff({{ datepart }}, {{ first_date }}, {{ second_date }})
    {%- endif -%}
{%- endmacro %}

{% macro spark__listagg(
    measure, delimiter_text, order_by_clause, limit_num
) -%}
    {%- if limit_num -%}
        {% do exceptions.raise_compiler_error(
            'listagg with a limit is not written for Spark') %}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }})
    {%- if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}

{#-
    The contracts of the marts name their columns' types as DuckDB and
    PostgreSQL do; dbt checks a contract by casting nulls to those types,
    which Spark names string and double.
-#}
{% macro spark__cast(field, type) -%}
    {%- set spark_names = {
        'varchar': 'string', 'double precision': 'double'} -%}
    cast({{ field }} as {{ spark_names.get(type | trim | lower, type) }})
{%- endmacro %}

{#-
    Seed rows written as SQL literals. dbt-spark's session method pastes
    each value between quotes as it is, so a seed text holding an apostrophe
    (the supplier's) breaks the statement and an empty cell becomes the text
    'None'. Here an empty cell is null, a number is written as agate read it
    and a text is quoted with Spark's backslash escapes.
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {% set column_types = model['config'].get('column_types', {}) %}
    {% set rows = [] %}
    {% for row in agate_table.rows %}
        {% set values = [] %}
        {% for value in row %}
            {% set name = agate_table.column_names[loop.index0] %}
            {% set type = column_types.get(name)
                or adapter.convert_type(agate_table, loop.index0) %}
            {% if value is none %}
                {% set literal = 'null' %}
            {% elif value is number %}
                {% set literal = value | string %}
            {% else %}
                {% set literal = "'" ~ (value | string | replace('\\', '\\\\')
                    | replace("'", "\\'")) ~ "'" %}
            {% endif %}
            {% do values.append('cast(' ~ literal ~ ' as ' ~ type ~ ')') %}
        {% endfor %}
        {% do rows.append('(' ~ values | join(', ') ~ ')') %}
    {% endfor %}
    {% set sql %}
        insert into {{ this.render() }} values {{ rows | join(', ') }}
    {% endset %}
    {% if rows %}{% do run_query(sql) %}{% endif %}
    {{ return(sql) }}
{% endmacro %}
