{#-
    Generic test, declared once on a model: the model's not_null and
    accepted_range column tests (both tagged column_rule by this project's
    test macros) folded into one query, which reads the table once and
    returns a row per test that fails, with its failing rows.

    dbt spends some 50 ms on a test whatever the table's size, and a model
    here carries up to fifty column tests: the report build runs this test
    in their stead (goodies-report passes `--exclude tag:column_rule`;
    `--unit-tests`, like `dbt build` by hand, runs both). The tests are read
    from dbt's graph when the test runs, so a column test added to a model's
    YAML is folded in as soon as it is written; a bound written as
    `{{ var('name') }}` is read from the var, any other Jinja in a bound is
    refused. tests/quality/assert_column_tests_are_folded.sql fails on a
    tagged test whose model has no column_rules.
-#}
{% test column_rules(model) %}

{%- set rules = goodies_column_rules(model) if execute else [] -%}

{%- if execute and not rules -%}
    {% do exceptions.raise_compiler_error(
        "column_rules on " ~ model.identifier ~ " folds no not_null or "
        ~ "accepted_range test: remove it from the model's data_tests") %}
{%- endif %}

with counted as (

    select
        {%- for rule in rules %}
        count(case when {{ rule.condition }} then 1 end)
            as failing_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ model }}

),

folded as (

    {%- for rule in rules %}
    select
        {{ loop.index }} as rule_number,
        '{{ rule.test_name | replace("'", "''") }}' as test_name
    {{- "\n    union all" if not loop.last }}
    {%- endfor %}

),

checked as (

    select
        folded.test_name,
        case folded.rule_number
            {%- for rule in rules %}
            when {{ loop.index }} then counted.failing_{{ loop.index }}
            {%- endfor %}
        end as failing_rows
    from folded
    cross join counted

)

select test_name, failing_rows

from checked

where failing_rows > 0

{% endtest %}


{#-
    The not_null and accepted_range tests attached to the model of the
    relation, each as {test_name, condition}: the condition a failing row
    meets, the test's `where` config included.
-#}
{% macro goodies_column_rules(relation) %}
    {%- set owner = namespace(unique_id=none) -%}
    {%- for node in graph.nodes.values()
        if node.resource_type in ('model', 'seed', 'snapshot')
        and node.alias == relation.identifier
        and node.schema == relation.schema -%}
        {%- set owner.unique_id = node.unique_id -%}
    {%- endfor -%}

    {%- set rules = [] -%}
    {%- for test in graph.nodes.values()
        if test.resource_type == 'test'
        and test.attached_node == owner.unique_id
        and 'column_rule' in test.tags -%}
        {%- set kind = test.test_metadata.name -%}
        {%- set arguments = test.test_metadata.kwargs -%}
        {%- set column = arguments.column_name -%}
        {%- set config = test.config -%}
        {%- if (config.severity | lower) != 'error'
            or config.error_if != '!= 0' or config.limit is not none -%}
            {% do exceptions.raise_compiler_error(
                test.name ~ ": column_rules folds only tests that fail on any "
                ~ "row (severity error, error_if '!= 0', no limit)") %}
        {%- endif -%}

        {%- if kind not in ('not_null', 'accepted_range') -%}
            {% do exceptions.raise_compiler_error(
                test.name ~ ": column_rules folds not_null and accepted_range "
                ~ "tests; a " ~ kind ~ " test cannot be tagged column_rule") %}
        {%- elif kind == 'not_null' -%}
            {%- set condition = column ~ ' is null' -%}
        {%- else -%}
            {%- set condition = out_of_range(
                column,
                goodies_bound(test.name, arguments.get('min_value')),
                goodies_bound(test.name, arguments.get('max_value'))
            ) -%}
        {%- endif -%}

        {%- if config.where -%}
            {%- set condition = '(' ~ config.where ~ ') and ('
                ~ condition ~ ')' -%}
        {%- endif -%}
        {%- do rules.append(
            {'test_name': test.name, 'condition': condition}) -%}
    {%- endfor -%}

    {{ return(rules | sort(attribute='test_name')) }}
{% endmacro %}


{#- A bound as the test was given it: a number, none, or {{ var('name') }}. -#}
{% macro goodies_bound(test_name, value) %}
    {%- if value is string and '{' in value -%}
        {%- set inner = value.strip() -%}
        {%- set inner = inner[2:-2].strip()
            if inner.startswith('{{') and inner.endswith('}}') else '' -%}
        {%- set name = inner[4:-1].strip().strip('"').strip("'")
            if inner.startswith('var(') and inner.endswith(')') else '' -%}
        {%- if not name or not modules.re.match('^[A-Za-z0-9_]+$', name) -%}
            {% do exceptions.raise_compiler_error(
                test_name ~ ": column_rules reads a bound written as a number "
                ~ "or as a var, not " ~ value) %}
        {%- endif -%}
        {{ return(var(name)) }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}
