// Accepted: the naive O(N) loop with a long accumulator.
import java.util.Scanner;

public class Loop {
    public static void main(String[] args) {
        long n = new Scanner(System.in).nextLong();
        long sum = 0;
        for (long i = 1; i <= n; i++) sum += i;
        System.out.println(sum);
    }
}
