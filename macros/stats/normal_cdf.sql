{#-
    normal_tail_abs(x): P(Z > |x|) for a standard normal Z, as a double.
      x: a SQL expression (any number type; null gives null).
    Hart's algorithm 5666 (1968) in the double-precision form W. J. West
    gives ("Better approximations to cumulative normal functions", 2005):
    a rational function of |x| times exp(-x²/2) below |x| = 5√2, a
    continued fraction above. Against scipy.stats.norm.sf: absolute error
    below 2e-16 everywhere, relative error below 1e-8 in the tails, so tiny
    p-values keep their digits. |x| is taken within [1e-100, 37] (the tail
    is 0.5 below and 6e-300 at 37): PostgreSQL reports an underflow as an
    error, exp(-x²/2) does a little above 37 and x² below 1e-154. Null when x
    is null (least() and greatest() alone would skip the null).
    Uses only exp, abs, least, greatest and arithmetic (portable); x is
    repeated about 20 times in the expansion, so pass a column or a short
    expression where you can.
-#}
{% macro normal_tail_abs(x) -%}
    {%- set a -%}
        greatest(least(abs(cast({{ x }} as {{ double_type() }})), 37.0), 1e-100)
    {%- endset -%}
    {%- set numerator = [
        '0.0352624965998911', '0.700383064443688', '6.37396220353165',
        '33.912866078383', '112.079291497871', '221.213596169931',
        '220.206867912376',
    ] -%}
    {%- set denominator = [
        '0.0883883476483184', '1.75566716318264', '16.064177579207',
        '86.7807322029461', '296.564248779674', '637.333633378831',
        '793.826512519948', '440.413735824752',
    ] -%}
    {%- set horner = namespace(numerator=numerator[0],
        denominator=denominator[0]) -%}
    {%- for coefficient in numerator[1:] -%}
        {%- set horner.numerator = '(' ~ horner.numerator ~ ') * ' ~ a
            ~ ' + ' ~ coefficient -%}
    {%- endfor -%}
    {%- for coefficient in denominator[1:] -%}
        {%- set horner.denominator = '(' ~ horner.denominator ~ ') * ' ~ a
            ~ ' + ' ~ coefficient -%}
    {%- endfor -%}
    (case when ({{ x }}) is not null then exp(-0.5 * {{ a }} * {{ a }}) * case
        when {{ a }} < 7.07106781186547
            then ({{ horner.numerator }}) / ({{ horner.denominator }})
        else 1 / ({{ a }} + 1 / ({{ a }} + 2 / ({{ a }} + 3 / ({{ a }}
            + 4 / ({{ a }} + 0.65))))) / 2.506628274631
    end end)
{%- endmacro %}


{#-
    normal_cdf(x): P(Z <= x) for a standard normal Z, as a double; null when
    x is null.
      x: a SQL expression (any number type).
    Computed from normal_tail_abs (Hart / West, absolute error below 2e-16
    over the whole real line): the lower tail directly, the upper half as
    1 minus the tail.
-#}
{% macro normal_cdf(x) -%}
    (case
        when cast({{ x }} as {{ double_type() }}) > 0
            then 1 - {{ normal_tail_abs(x) }}
        else {{ normal_tail_abs(x) }}
    end)
{%- endmacro %}
