{#-
    wilson_low(successes, n, z) and wilson_high(successes, n, z): the bounds
    of the Wilson score interval of the proportion successes / n, as doubles
    in [0, 1].
      successes: SQL expression, the number of successes (0 to n);
      n: SQL expression, the number of trials;
      z: SQL expression, the normal quantile of the level; default
         1.959963984540054, a two-sided 95% interval.
    Null when n is 0 (or not above 0) or either count is null. Closed form:
    (2x + z² ∓ z √(z² + 4x(n − x)/n)) / (2(n + z²)); clamped to [0, 1] so
    that rounding never puts the bound of 0 or n successes outside.
-#}
{% macro wilson_low(successes, n, z='1.959963984540054') -%}
    {{ wilson_bound(successes, n, z, '-') }}
{%- endmacro %}

{% macro wilson_high(successes, n, z='1.959963984540054') -%}
    {{ wilson_bound(successes, n, z, '+') }}
{%- endmacro %}

{#- The bound of wilson_low (sign '-') or wilson_high (sign '+'). -#}
{% macro wilson_bound(successes, n, z, sign) -%}
    {%- set x_ = 'cast(' ~ successes ~ ' as ' ~ double_type() ~ ')' -%}
    {%- set n_ = 'cast(' ~ n ~ ' as ' ~ double_type() ~ ')' -%}
    {%- set z_ = 'cast(' ~ z ~ ' as ' ~ double_type() ~ ')' -%}
    (case
        when {{ n_ }} > 0 and {{ x_ }} is not null and {{ z_ }} is not null
            then {{ 'greatest(0.0' if sign == '-' else 'least(1.0' }}, (
                2 * {{ x_ }} + {{ z_ }} * {{ z_ }} {{ sign }} {{ z_ }} * sqrt(
                    {{ z_ }} * {{ z_ }}
                    + 4 * {{ x_ }} * ({{ n_ }} - {{ x_ }}) / nullif({{ n_ }}, 0)
                )
            ) / (2 * ({{ n_ }} + {{ z_ }} * {{ z_ }})))
    end)
{%- endmacro %}
