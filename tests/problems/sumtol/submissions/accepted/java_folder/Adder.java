// A helper class of a folder submission. It sorts before Main.java and has a main method of its
// own that must not be the entry point: it exits 1 without output.
public class Adder {
    static double total(double[] values) {
        double sum = 0;
        for (double v : values) sum += v;
        return sum;
    }

    public static void main(String[] args) {
        System.exit(1);
    }
}
