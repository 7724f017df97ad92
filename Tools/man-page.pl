#!/usr/bin/perl
# Finishes the man page that swift-argument-parser's generate-manual plugin writes for convmat
# (`make manual`; standard input to standard output):
#
# - generate-manual keeps only the ASCII characters of the help it reads ("y = C·x" would become
#   "y = Cx", "4×16" "416"), so convmat, asked with CONVMAT_MANUAL_ESCAPES=1, spells the others as
#   &#xHEX; (Sources/convmat/ManualPage.swift). Each becomes groff's \[uHEX] here, which man shows
#   as the character itself on a UTF-8 terminal.
# - Where the terminal has no such character (LANG=C, a container without a locale), groff shows
#   the ASCII text a `.fchar` line gives it: Cᵀ becomes C^T, 4×16 4x16. A character with no ASCII
#   text in %ascii below stops the build, naming it, instead of vanishing from those terminals.
# - Empty lines, which groff's mdoc warns about, become paragraph breaks (.Pp).
use strict;
use warnings;

my %ascii = (
    0x00A7 => 'S.',  0x00B2 => '^2',  0x00B3 => '^3',  0x00B7 => '*',   0x00B9 => '^1',  0x00D7 => 'x',
    0x0302 => '^',   0x0394 => 'Delta', 0x03A0 => 'Prod', 0x03A3 => 'Sum', 0x03B3 => 'gamma', 0x03B4 => 'delta',
    0x03B5 => 'eps', 0x03BA => 'kappa', 0x03BB => 'lambda', 0x03C3 => 'sigma', 0x03C4 => 'tau',
    0x1D40 => '^T',  0x1D62 => '_i',  0x2C7C => '_j',
    0x2013 => '-',   0x2014 => '--',  0x2016 => '||',  0x2026 => '...', 0x2032 => "'",   0x2070 => '^0',
    0x2074 => '^4',  0x2075 => '^5',  0x2076 => '^6',  0x2077 => '^7',  0x2078 => '^8',  0x2079 => '^9',
    0x207B => '^-',  0x207A => '^+',  0x2080 => '_0',  0x2081 => '_1',  0x2082 => '_2',  0x2083 => '_3',  0x2084 => '_4',
    0x2085 => '_5',  0x2086 => '_6',  0x2087 => '_7',  0x2088 => '_8',  0x2089 => '_9',  0x2093 => '_x',
    0x2096 => '_k',  0x2190 => '<-',  0x2192 => '->',  0x2194 => '<->', 0x21A6 => '|->', 0x2202 => 'd',
    0x2207 => 'grad', 0x2208 => 'in', 0x2212 => '-',   0x221A => 'sqrt', 0x2248 => '~',  0x2260 => '!=',
    0x2261 => '==',  0x2264 => '<=',  0x2265 => '>=',  0x226B => '>>',  0x2295 => '(+)', 0x22C6 => '*',
    0x2308 => 'ceil(', 0x2309 => ')', 0x230A => 'floor(', 0x230B => ')', 0x2500 => '-', 0x2502 => '|',
    0x27E8 => '<',   0x27E9 => '>',   0x00B0 => ' deg', 0x2591 => '#',
);

my (%used, @lines);
sub decode {
    my ($code) = @_;
    return chr($code) if $code < 0x80;
    $used{$code} = 1;
    return sprintf('\[u%04X]', $code);
}
while (my $line = <STDIN>) {
    $line =~ s/&#x([0-9A-F]+);/decode(hex $1)/ge;
    $line = ".Pp\n" if $line eq "\n";
    push @lines, $line;
}
my @missing = grep { !exists $ascii{$_} } sort { $a <=> $b } keys %used;
if (@missing) {
    binmode STDERR, ':encoding(UTF-8)';
    die "man-page.pl: no ASCII text for " . join(', ', map { sprintf('U+%04X (%s)', $_, chr $_) } @missing)
        . "; add it to %ascii in Tools/man-page.pl\n";
}
die "man-page.pl: no input\n" unless @lines;
print shift @lines;
print ".\\\" ASCII text for the characters below where the terminal has none of its own (groff .fchar)\n";
for my $code (sort { $a <=> $b } keys %used) {
    (my $text = $ascii{$code}) =~ s/\\/\\e/g;
    printf ".fchar \\[u%04X] %s\n", $code, $text;
}
print @lines;
