{#-
    newcombe_low(x1, n1, x2, n2, z) and newcombe_high(x1, n1, x2, n2, z):
    the bounds of Newcombe's hybrid score interval (method 10 of Newcombe,
    Statistics in Medicine 1998) of the difference p1 − p2 of two
    independent proportions p1 = x1 / n1 and p2 = x2 / n2, as doubles.
      x1, n1: SQL expressions, successes and trials of the first group;
      x2, n2: the same for the second group;
      z: SQL expression, the normal quantile; default 1.959963984540054
         (two-sided 95%), used for both Wilson intervals.
    From the Wilson intervals (l1, u1) and (l2, u2):
      low  = p1 − p2 − √((p1 − l1)² + (u2 − p2)²),
      high = p1 − p2 + √((u1 − p1)² + (p2 − l2)²).
    Null when n1 or n2 is 0, or any count is null.
-#}
{% macro newcombe_low(x1, n1, x2, n2, z='1.959963984540054') -%}
    {{ newcombe_bound(x1, n1, x2, n2, z, '-') }}
{%- endmacro %}

{% macro newcombe_high(x1, n1, x2, n2, z='1.959963984540054') -%}
    {{ newcombe_bound(x1, n1, x2, n2, z, '+') }}
{%- endmacro %}

{#- The bound of newcombe_low (sign '-') or newcombe_high (sign '+'). -#}
{% macro newcombe_bound(x1, n1, x2, n2, z, sign) -%}
    {%- set p1 = safe_ratio(x1, n1) -%}
    {%- set p2 = safe_ratio(x2, n2) -%}
    {%- if sign == '-' -%}
        {%- set first = '(' ~ p1 ~ ') - ' ~ wilson_low(x1, n1, z) -%}
        {%- set second = wilson_high(x2, n2, z) ~ ' - (' ~ p2 ~ ')' -%}
    {%- else -%}
        {%- set first = wilson_high(x1, n1, z) ~ ' - (' ~ p1 ~ ')' -%}
        {%- set second = '(' ~ p2 ~ ') - ' ~ wilson_low(x2, n2, z) -%}
    {%- endif -%}
    ((({{ p1 }}) - ({{ p2 }})) {{ sign }} sqrt(
        power({{ first }}, 2) + power({{ second }}, 2)
    ))
{%- endmacro %}
