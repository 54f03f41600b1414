#!/bin/sh
# codecage-main-class ENTRY: after a JVM compile into the current directory, print the class to
# run: one with `public static void main(String[])` (found by its name and descriptor in the class
# file), preferring the one named after the entry file (Kotlin's HelloKt for hello.kt, a Scala
# object Hello in hello.scala, a Groovy script's class), else the first in name order. Fails
# with a message when no class has a main method.
stem=$(basename "$1"); stem=${stem%.*}
first=$(printf '%s' "$stem" | cut -c1 | tr '[:lower:]' '[:upper:]')$(printf '%s' "$stem" | cut -c2-)
found=
for file in $(find . -name '*.class' ! -name '*$*' | sort); do
    grep -q 'main' "$file" && grep -q '(\[Ljava/lang/String;)V' "$file" || continue
    class=${file#./}; class=${class%.class}; class=$(printf '%s' "$class" | tr / .)
    case "${class##*.}" in
        "$stem" | "$first" | "${first}Kt") found=$class; break ;;
    esac
    [ -n "$found" ] || found=$class
done
if [ -z "$found" ]; then
    echo "no class with a main method (fun main, an object with def main, static void main)" >&2
    exit 1
fi
printf '%s\n' "$found"
