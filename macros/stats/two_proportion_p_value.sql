{#-
    two_proportion_p_value(x1, n1, x2, n2): the two-sided p-value of the
    pooled two-proportion z-test of p1 = x1 / n1 against p2 = x2 / n2, as a
    double.
      x1, n1: SQL expressions, successes and trials of the first group;
      x2, n2: the same for the second group.
    z = (p1 − p2) / √(p(1 − p)(1/n1 + 1/n2)) with the pooled proportion
    p = (x1 + x2) / (n1 + n2); the p-value is 2 P(Z > |z|), from the normal
    tail directly (normal_tail_abs), so that tiny p-values keep their
    relative accuracy.
    Null when n1 or n2 is 0 or any count is null. When the pooled
    proportion is 0 or 1 (no success or no failure at all: the statistic
    has no variance), the p-value is 1.0: no evidence of a difference.
-#}
{% macro two_proportion_p_value(x1, n1, x2, n2) -%}
    {%- set x1_ = 'cast(' ~ x1 ~ ' as ' ~ double_type() ~ ')' -%}
    {%- set n1_ = 'cast(' ~ n1 ~ ' as ' ~ double_type() ~ ')' -%}
    {%- set x2_ = 'cast(' ~ x2 ~ ' as ' ~ double_type() ~ ')' -%}
    {%- set n2_ = 'cast(' ~ n2 ~ ' as ' ~ double_type() ~ ')' -%}
    {%- set pooled -%}
        ({{ x1_ }} + {{ x2_ }}) / nullif({{ n1_ }} + {{ n2_ }}, 0)
    {%- endset -%}
    {%- set statistic -%}
        ({{ x1_ }} / nullif({{ n1_ }}, 0) - {{ x2_ }} / nullif({{ n2_ }}, 0))
        / nullif(sqrt(({{ pooled }}) * (1 - ({{ pooled }}))
            * (1 / nullif({{ n1_ }}, 0) + 1 / nullif({{ n2_ }}, 0))), 0)
    {%- endset -%}
    (case
        when not ({{ n1_ }} > 0 and {{ n2_ }} > 0) then null
        when {{ x1_ }} + {{ x2_ }} = 0
            or {{ x1_ }} + {{ x2_ }} = {{ n1_ }} + {{ n2_ }}
            then cast(1 as {{ double_type() }})
        else 2 * {{ normal_tail_abs(statistic) }}
    end)
{%- endmacro %}
