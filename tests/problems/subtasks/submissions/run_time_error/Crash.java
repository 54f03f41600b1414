// Run-time error everywhere: indexes an empty array (uncaught exception, exit 1). Score 0.
import java.util.Scanner;

public class Crash {
    public static void main(String[] args) {
        int n = new Scanner(System.in).nextInt();
        long[] sums = new long[0];
        System.out.println(sums[n]);
    }
}
