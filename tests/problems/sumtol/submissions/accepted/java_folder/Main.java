// Accepted: a folder submission of two classes; Main is the entry point (the main-file rule).
import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int n = in.nextInt();
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = Double.parseDouble(in.next());
        System.out.println(Adder.total(values));
    }
}
