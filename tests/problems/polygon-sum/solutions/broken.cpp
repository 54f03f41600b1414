// Tagged do-not-run: never compiled.
int main( {
