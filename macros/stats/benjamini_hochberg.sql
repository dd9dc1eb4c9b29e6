{#-
    Benjamini–Hochberg adjusted p-values (q-values), in two steps, because
    one window function cannot contain another. Among the rows of a
    partition with a non-null p-value (m of them), sorted by p ascending:
    q_(i) = min over j >= i of (m / j · p_(j)), capped at 1. Rows with a null
    p-value are not tested: they do not count in m and get a null q-value.
    Tied p-values get the same q-value (the frame of the second step takes
    in all the ties), as scipy.stats.false_discovery_control does.

    Usage, in two successive CTEs (same p-value column, same partition):

        scaled as (
            select
                *,
                {{ benjamini_hochberg_scaled('p_value', ['campaign_id']) }}
                    as bh_scaled
            from tested
        ),

        adjusted as (
            select
                *,
                {{ benjamini_hochberg('p_value', ['campaign_id']) }}
                    as q_value
            from scaled
        )

    benjamini_hochberg_scaled(p_value, partition_by): m / j · p_(j), the
    p-value scaled by the number of tests over its rank, as a double.
      p_value: SQL expression of the p-value (a column);
      partition_by: list of SQL expressions (columns) whose rows are tested
        together, e.g. ['campaign_id']; [] or none for the whole relation
        (a single string is taken as a list of one).

    benjamini_hochberg(p_value, partition_by, scaled='bh_scaled'): the
    q-value, as a double in [0, 1]; null when p_value is null.
      p_value, partition_by: as in the first step;
      scaled: the column holding benjamini_hochberg_scaled.
-#}
{% macro benjamini_hochberg_partition(partition_by) -%}
    {%- if partition_by is string -%}
        {%- set partition_by = [partition_by] -%}
    {%- endif -%}
    {%- if partition_by -%}
        partition by {{ partition_by | join(', ') }}
    {%- endif -%}
{%- endmacro %}

{% macro benjamini_hochberg_scaled(p_value, partition_by) -%}
    {%- set partition = benjamini_hochberg_partition(partition_by) -%}
    (case
        when ({{ p_value }}) is not null
            then cast(count({{ p_value }}) over (
                {{ partition }}
            ) as {{ double_type() }})
            * cast({{ p_value }} as {{ double_type() }})
            / row_number() over (
                {{ partition }}
                order by {{ p_value }} asc nulls last
            )
    end)
{%- endmacro %}

{% macro benjamini_hochberg(p_value, partition_by, scaled='bh_scaled') -%}
    {%- set partition = benjamini_hochberg_partition(partition_by) -%}
    (case
        when ({{ p_value }}) is not null
            then least(cast(1 as {{ double_type() }}), min({{ scaled }}) over (
                {{ partition }}
                order by {{ p_value }} desc nulls last
                range between unbounded preceding and current row
            ))
    end)
{%- endmacro %}
